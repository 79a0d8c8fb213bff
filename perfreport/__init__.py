"""perfreport: corporate performance reporting for public bodies."""

__version__ = "0.1.0"
