"""UI pieces every section shares: screens, navigation, callback data, formatting, refusals, text limits."""
