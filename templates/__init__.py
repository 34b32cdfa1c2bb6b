"""jinja2 templates for briefs."""
