"""The Dash dashboard over run folders (app factory and pages come with the dashboard work)."""
