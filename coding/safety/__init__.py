"""Data safety shared by every command: output files that never land on a project, and OS errors a researcher can act
on (`coding.safety.outputs`)."""

from coding.safety.outputs import check_output_path, os_error_problem, output_file, write_output

__all__ = ["check_output_path", "os_error_problem", "output_file", "write_output"]
