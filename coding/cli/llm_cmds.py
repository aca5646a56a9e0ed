"""`qcode suggest --llm` and `qcode evaluate --llm`: the local LLM coder from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coding.cli.agreement_cmds import print_agreement_table
from coding.cli.common import console, error_console, print_json, project
from coding.cli.progress import progress_bar
from coding.llm.settings import leaving_machine_warning, llm_settings
from pipelines.llm_suggest import LlmPlan, evaluate_llm, llm_suggest, plan_llm_coding

LlmOption = Annotated[bool, typer.Option("--llm", help="Use the local LLM coder (qcode config llm_endpoint ...).")]


def _names(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def _announce(plan: LlmPlan) -> None:
    warning = leaving_machine_warning(plan.settings)
    if warning:
        error_console.print(warning, markup=False)
    error_console.print(plan.describe(), markup=False)


def suggest_with_llm(db: Path, documents: str | None, codes: str | None, estimate_only: bool,
                     json_output: bool) -> None:
    with project(db) as store:
        plan = plan_llm_coding(store, llm_settings(store), _names(documents), _names(codes))
        _announce(plan)
        if estimate_only:
            if json_output:
                print_json({"turns": len(plan.prompts), "to_ask": len(plan.to_ask), "requests": plan.requests,
                            "prompt_tokens": plan.prompt_tokens, "seconds": plan.seconds_estimate})
            return
        with progress_bar(f"asking {plan.settings.model}") as progress:
            result = llm_suggest(store, plan, progress)
    if json_output:
        print_json({"run": result.run_id, "model": plan.settings.model, "asked": len(plan.to_ask),
                    "answered": result.answered, "failed": result.failed, "seconds": round(result.seconds, 3),
                    "failures": [f.model_dump(include={"document", "turn", "error"}) for f in result.failures]})
        return
    for failure in result.failures:
        error_console.print(f"failed: {failure.document}, turn {failure.turn}: {failure.error}", markup=False)
    failed = f", {result.failed} failed (asked again on the next run)" if result.failed else ""
    console.print(f"suggestion run {result.run_id}: {plan.settings.model} answered {result.answered} of "
                  f"{len(plan.to_ask)} turns asked in {result.seconds:.1f} s{failed}; "
                  f"{len(plan.prompts) - len(plan.to_ask)} answered earlier", markup=False)


def evaluate_with_llm(db: Path, coder: str, json_output: bool) -> None:
    with project(db) as store:
        plan = plan_llm_coding(store, llm_settings(store))
        if plan.to_ask:
            _announce(plan)
        with progress_bar(f"asking {plan.settings.model}") as progress:
            result = evaluate_llm(store, plan, coder, progress)
    if json_output:
        print_json({**result.report.model_dump(), "model": result.model, "prompt_version": result.prompt_version,
                    "turns": result.turns, "failed_turns": result.failed})
        return
    print_agreement_table(result.report, f"LLM coder ({result.model}, prompt {result.prompt_version}) vs {coder}")
    if result.failed:
        console.print(f"{result.failed} of {result.turns} turns have no usable answer (scored as no code); "
                      f"run 'qcode suggest --llm' to ask them again", markup=False)
