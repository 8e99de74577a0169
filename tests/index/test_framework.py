"""The framework file: the default is complete and cited; bad files report every problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from greymap.errors import InputError
from greymap.index.framework import load_framework, parse_framework

CATEGORIES = [
    "government_policy",
    "supply_and_demand",
    "transparency_and_trade",
    "customs_environment",
]


def test_default_framework_mirrors_the_four_categories_and_cites_every_indicator() -> None:
    fw = load_framework()
    assert [c.id for c in fw.categories] == CATEGORIES
    assert len(fw.indicators) >= 20
    for ind in fw.indicators:
        assert ind.citation.strip() and "http" in ind.citation, ind.id
    assert {b.id for b in fw.benchmarks} >= {"goci_2023_resilience", "basel_aml_score"}
    assert len(fw.digest()) == 64


def test_every_problem_is_reported_at_once() -> None:
    raw = {
        "name": "bad",
        "categories": [
            {
                "id": "Policy",
                "name": "P",
                "weight": -1,
                "indicators": [
                    {
                        "id": "a",
                        "name": "A",
                        "source": "s",
                        "indicator": "a",
                        "direction": "up",
                        "citation": "c",
                    },
                    {
                        "id": "b",
                        "name": "B",
                        "source": "s",
                        "indicator": "b",
                        "direction": "positive",
                    },
                ],
            }
        ],
        "method": {"normalisation": "softmax"},
    }
    with pytest.raises(InputError) as err:
        parse_framework(raw, "bad.yaml")
    text = str(err.value)
    assert "bad.yaml: 4 problem(s)" in text
    for where in (
        "categories.0.weight",
        "categories.0.indicators.0.direction",
        "categories.0.indicators.1.citation",
        "method.normalisation",
    ):
        assert where in text


def test_cross_field_rules() -> None:
    ind = {"name": "A", "source": "s", "indicator": "a", "direction": "positive", "citation": "c"}
    raw = {
        "name": "dup",
        "categories": [
            {
                "id": "Policy",
                "name": "P",
                "indicators": [{"id": "a", **ind}, {"id": "a", **ind, "indicator": "b"}],
            },
            {"id": "two", "name": "T", "indicators": [{"id": "c", **ind}]},
        ],
    }
    with pytest.raises(InputError) as err:
        parse_framework(raw)
    text = str(err.value)
    assert "'Policy' is not a slug" in text
    assert "id 'a' is already used" in text
    assert "same data (s/a) as a" in text


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such framework file"):
        load_framework(tmp_path / "absent.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n")
    with pytest.raises(InputError, match="not valid YAML"):
        load_framework(broken)
    listing = tmp_path / "list.yaml"
    listing.write_text("- a\n- b\n")
    with pytest.raises(InputError, match="expected a mapping"):
        load_framework(listing)
