"""The panel: seals and the team key, importing and verifying other interviewers' exports
(`seal`), the per-interviewer calibration (`calibration`) and the merged debrief of one
candidate (`debrief`).

May import: exports, the store, the session and the model. Never Textual or the CLI."""
