"""Leader-facing reports as a format-independent document model, rendered to Word and PDF."""
