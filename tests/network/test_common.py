"""Common choke points: excess over the sector's suspicious share, summed over sectors."""

from __future__ import annotations

import pytest

from greymap.network.common import CommonParams, common_scores, sector_scores
from tests.network.factory import layer


def _world():
    # H: a small hub carrying suspicious flow of two sectors. C: a busy hub whose traffic
    # is mostly clean. W: serves one sector only.
    return layer(
        [
            (["L1", "H", "U1"], 100.0, 0.8, ["tobacco"]),
            (["L2", "H", "U2"], 100.0, 0.8, ["wildlife"]),
            (["L1", "C", "U1"], 10_000.0, 0.01, ["tobacco"]),
            (["L2", "C", "U2"], 10_000.0, 0.01, ["wildlife"]),
            (["L1", "W", "U1"], 100.0, 0.9, ["tobacco"]),
        ]
    )


def test_excess_is_suspicious_value_beyond_the_sector_share() -> None:
    params = CommonParams(contrast=1.0, sharpness=1.0)
    per = sector_scores(_world(), params).set_index(["node", "sector"])
    rho = (80 + 100 + 90) / (100 + 10_000 + 100)  # tobacco: suspicious / value
    assert per.loc[("H", "tobacco"), "rho"] == pytest.approx(rho)
    assert per.loc[("H", "tobacco"), "excess"] == pytest.approx(80 - rho * 100)
    assert per.loc[("C", "tobacco"), "excess"] == 0.0  # 100 < rho * 10,000


def test_sharpness_scores_value_times_weight_squared() -> None:
    per = sector_scores(_world(), CommonParams(contrast=1.0)).set_index(["node", "sector"])
    rho = (100 * 0.8**2 + 10_000 * 0.01**2 + 100 * 0.9**2) / 10_200
    assert per.loc[("H", "tobacco"), "suspicious_value"] == pytest.approx(64.0)
    assert per.loc[("H", "tobacco"), "excess"] == pytest.approx(64.0 - rho * 100)


def test_breadth_and_cleanliness_decide_not_volume() -> None:
    ranking = common_scores(_world(), CommonParams(contrast=1.0))
    assert list(ranking["node"][:2]) == ["H", "W"]
    assert ranking.set_index("node").loc["C", "score"] == 0.0
    h = ranking.set_index("node").loc["H"]
    assert h["sectors"] == ["wildlife", "tobacco"]  # by share: all of wildlife's excess
    assert h["suspicious_value_usd"] == pytest.approx(160.0)
    assert h["suspicious_share"] == pytest.approx(160 / (80 + 80 + 100 + 100 + 90))
    # H holds all of wildlife's excess and part of tobacco's.
    assert 1.0 < h["score"] < 2.0
