"""The live quiz game: scoring, the game's state machine and what it sends."""
