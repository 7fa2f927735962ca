"""The application shell: configuration, composition, middlewares, run modes, scheduler, CLI."""
