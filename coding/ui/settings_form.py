"""Inputs for any settings model (pydantic): one input per simple field, its description and default as help.

Used to run clustering again with other settings; the values shown are those of the last run, so a researcher
changes one thing at a time and the manifest of each run records what was used. `settings_behind_advanced` keeps
them out of the way: a plain button runs, and the settings wait under an "Advanced" expander.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any, Literal

import streamlit as st
from pydantic import BaseModel, ValidationError


def _simple_type(annotation: Any) -> Any:
    """int, float, bool, str, a Literal or tuple[str, ...]; Optional[X] counts as X; None for anything else."""
    if typing.get_origin(annotation) is Literal or annotation == tuple[str, ...]:
        return annotation
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if args and len(args) == 1:
        return _simple_type(args[0])
    return annotation if annotation in (int, float, bool, str) else None


def settings_inputs(model: type[BaseModel], key: str, current: dict[str, Any] | None = None) -> dict[str, Any]:
    """Draw the inputs (inside a form) and return the values they hold."""
    values: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        kind = _simple_type(field.annotation)
        default = (current or {}).get(name, field.default)
        if kind is None:
            continue
        label, widget_key = name.replace("_", " ").capitalize(), f"{key}_{name}"
        help_text = f"{field.description or ''} (default: {_shown(field.default)})".strip()
        if kind == tuple[str, ...]:
            words = st.text_input(label, value=", ".join(default or ()), help=help_text, key=widget_key)
            values[name] = tuple(w.strip() for w in words.split(",") if w.strip())
        elif typing.get_origin(kind) is Literal:
            options = list(typing.get_args(kind))
            values[name] = st.selectbox(label, options, index=options.index(default) if default in options else 0,
                                        help=help_text, key=widget_key)
        elif kind is bool:
            values[name] = st.checkbox(label, value=bool(default), help=help_text, key=widget_key)
        elif kind is int:  # None (empty) means "automatic" for optional numbers
            values[name] = st.number_input(label, value=None if default is None else int(default), step=1,
                                           help=help_text, key=widget_key, placeholder="automatic")
        elif kind is float:
            values[name] = st.number_input(label, value=None if default is None else float(default),
                                           help=help_text, key=widget_key, format="%.4g", placeholder="automatic")
        else:
            values[name] = st.text_input(label, value=default or "", help=help_text, key=widget_key)
    return values


def _shown(value: Any) -> str:
    if value is None:
        return "automatic"
    if isinstance(value, tuple):
        return ", ".join(value) or "none"
    return str(value)


def changed_from_defaults(model: type[BaseModel], values: dict[str, Any]) -> dict[str, Any]:
    """The values that differ from the model's defaults, by field name."""
    return {name: value for name, value in values.items()
            if name in model.model_fields and value != model.model_fields[name].default}


def settings_behind_advanced(model: type[BaseModel], key: str, current: dict[str, Any] | None, submit: str,
                             on_valid: Callable[[BaseModel], None], note: str | None = None) -> None:
    """A plain button `submit` that runs with the settings under an "Advanced settings" expander (the last run's
    values, or the defaults; the caption names those that differ from the defaults)."""
    clicked = st.button(submit, key=f"{key}_submit", type="primary")
    with st.expander("Advanced settings"):
        if note:
            st.caption(note)
        values = settings_inputs(model, key, current)
        changed = changed_from_defaults(model, values)
        st.caption("All at their defaults." if not changed else "Changed from the defaults: " + ", ".join(
            f"{name.replace('_', ' ')} {_shown(value)} (default {_shown(model.model_fields[name].default)})"
            for name, value in changed.items()))
    if clicked:
        _validate(model, current, values, on_valid)


def _validate(model: type[BaseModel], current: dict[str, Any] | None, values: dict[str, Any],
              on_valid: Callable[[BaseModel], None]) -> None:
    try:
        known = {k: v for k, v in (current or {}).items() if k in model.model_fields}
        on_valid(model.model_validate({**known, **values}))
    except ValidationError as error:
        for detail in error.errors():
            where = ".".join(str(p) for p in detail["loc"])
            st.error(f"{where}: {detail['msg']}")


def settings_form(model: type[BaseModel], key: str, current: dict[str, Any] | None, submit: str,
                  on_valid: Callable[[BaseModel], None]) -> None:
    """A form whose submit validates the values into `model` and passes them to `on_valid`, or shows why not."""
    with st.form(key):
        values = settings_inputs(model, key, current)
        submitted = st.form_submit_button(submit, key=f"{key}_submit", type="primary")
    if submitted:
        _validate(model, current, values, on_valid)
