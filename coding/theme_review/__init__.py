"""What a researcher does with stored theme runs (`actions`) and what the Themes screen shows of them (`screen`).

Discovery itself is `coding.themes` (pure, no project file); this package works on the runs a project keeps.
"""
