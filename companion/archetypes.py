"""The company archetypes of seed 001 (questions for one carry the topic `archetype-NAME`).
A module of its own so that the CLI's options can name them without importing the model
(~14 ms of CPU at every command's start)."""

ARCHETYPES: tuple[str, ...] = ("high-growth", "enterprise", "safety-critical")
