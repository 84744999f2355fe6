"""The notebooks of notebooks/, executed and written as self-contained HTML pages (``make notebooks``)."""
