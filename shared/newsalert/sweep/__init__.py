"""The sweeper: finds what the pipeline left unfinished, finishes or dead-letters it, and counts it."""
