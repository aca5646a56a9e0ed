"""Placing codings on text: importing a codings CSV (`import_codings`), finding a quote in a transcript whatever its
Unicode spelling (`locate`), and moving codings onto a new version of a transcript (`reanchor`)."""
