"""Fixtures for the codebook tests."""

from __future__ import annotations

import pytest

from coding.codebook import Code, Codebook


@pytest.fixture
def small_codebook() -> Codebook:
    """Two branches, listed with a child before its parent to exercise file-order rules."""
    return Codebook(
        name="Small",
        version=2,
        codes=(
            Code(id="COST", name="Cost", parent="CONCERNS", definition="Money.", examples=("It's pricey.",)),
            Code(id="CONCERNS", name="Concerns"),
            Code(id="PRIVACY", name="Privacy", parent="CONCERNS", include=("student data",)),
            Code(id="VENDOR_DATA", name="Vendor data", parent="PRIVACY"),
            Code(id="OPPORTUNITIES", name="Opportunities", color="#1b9e77"),
            Code(id="TIME", name="Time savings", parent="OPPORTUNITIES", include=("faster grading",)),
        ),
    )
