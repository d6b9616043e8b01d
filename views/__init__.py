"""Plain Flask views outside Flask-Admin."""
