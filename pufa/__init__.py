"""The application: `pufa.app.create_app` (the Flask app factory), `pufa.services` (the objects one worker
process needs, built from Settings) and `pufa.server` (the production server). `bot.py` is the command line."""
