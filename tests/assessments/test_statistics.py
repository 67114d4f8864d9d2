"""The statistics against values computed by hand."""

import math

import pytest

from assessments.statistics import Z95, compare, mean_with_interval, nps_with_interval, t95


def test_nps_of_nobody_is_unknown():
    estimate = nps_with_interval(0, 0, 0)
    assert estimate.value is None and estimate.low is None and estimate.n == 0 and estimate.indicative


def test_nps_by_hand():
    # 50 promoters, 30 passives, 20 detractors: NPS = 50% - 20% = 30.
    # Adjusted Wald: n' = 103, p' = 50.75/103, d' = 20.75/103, NPS' = 30/103 = 0.291262
    # var = p' + d' - NPS'^2 = 71.5/103 - 0.0848336 = 0.6941748 - 0.0848336 = 0.6093412
    # se = sqrt(0.6093412 / 103) = 0.0769150; interval = 0.291262 ± 1.959964 * 0.0769150
    estimate = nps_with_interval(50, 30, 20)
    assert estimate.value == 30.0 and estimate.n == 100 and not estimate.indicative
    assert estimate.low == pytest.approx(14.05, abs=0.01)
    assert estimate.high == pytest.approx(44.20, abs=0.01)


def test_nps_of_one_promoter_has_a_wide_honest_interval():
    # n' = 4, p' = 1.75/4 = 0.4375, d' = 0.75/4 = 0.1875, NPS' = 0.25
    # var = 0.625 - 0.0625 = 0.5625; se = sqrt(0.5625/4) = 0.375; 0.25 ± 0.734986 -> [-48.50, 98.50]
    estimate = nps_with_interval(1, 0, 0)
    assert estimate.value == 100.0 and estimate.n == 1 and estimate.indicative
    assert estimate.low == pytest.approx(-48.50, abs=0.01) and estimate.high == pytest.approx(98.50, abs=0.01)


def test_all_promoters_stays_below_100_at_the_top_of_the_interval():
    # 40 promoters: n' = 43, p' = 40.75/43, d' = 0.75/43; NPS' = 40/43 = 0.930233
    # var = 41.5/43 - 0.865333 = 0.965116 - 0.865333 = 0.099783; se = sqrt(0.099783/43) = 0.048172
    # high = 0.930233 + 0.094416 = 1.0246 -> clipped to 100; low = 0.835817
    estimate = nps_with_interval(40, 0, 0)
    assert estimate.value == 100.0 and estimate.high == 100.0
    assert estimate.low == pytest.approx(83.58, abs=0.01)


def test_all_detractors_is_minus_100():
    estimate = nps_with_interval(0, 0, 12)
    assert estimate.value == -100.0 and estimate.low == -100.0 and estimate.high < -50


def test_mean_by_hand():
    # CES scores 2, 4, 4, 6: mean 4, sample variance ((4+0+0+4)/3) = 8/3, se = sqrt(8/3/4) = 0.816497
    # t(3) = 3.182 -> half width 2.598094: [1.402, 6.598]
    estimate = mean_with_interval(4, 16, 4 + 16 + 16 + 36, (1, 7))
    assert estimate.value == 4.0 and estimate.indicative
    assert estimate.low == pytest.approx(1.402, abs=0.001) and estimate.high == pytest.approx(6.598, abs=0.001)


def test_mean_of_one_response_has_no_interval():
    estimate = mean_with_interval(1, 5, 25, (1, 5))
    assert estimate.value == 5.0 and estimate.low is None and estimate.high is None and estimate.n == 1


def test_mean_of_none_is_unknown():
    assert mean_with_interval(0, 0, 0, (1, 5)).value is None


def test_mean_interval_is_clipped_to_the_scale():
    # five 5s and one 1 on CSAT: mean 26/6 = 4.333, wide interval clipped at 5
    estimate = mean_with_interval(6, 26, 126, (1, 5))
    assert estimate.high == 5.0 and estimate.low > 1


def test_t_values():
    assert t95(1) == 12.706 and t95(30) == 2.042
    assert t95(31) == pytest.approx(2.0395, abs=0.001)
    assert t95(1000) == pytest.approx(1.9623, abs=0.001)
    with pytest.raises(ValueError):
        t95(0)


def test_a_change_larger_than_the_noise():
    before = nps_with_interval(20, 30, 50)  # NPS -30
    after = nps_with_interval(60, 30, 10)  # NPS +50
    result = compare(before, after)
    margin = Z95 * math.sqrt(before.standard_error**2 + after.standard_error**2)
    assert result.change == 80.0 and result.margin == pytest.approx(margin, abs=0.001) and result.beyond_noise


def test_a_small_change_is_within_the_noise():
    result = compare(nps_with_interval(5, 3, 2), nps_with_interval(6, 2, 2))
    assert result.change == 10.0 and not result.beyond_noise


def test_no_comparison_without_data():
    result = compare(nps_with_interval(0, 0, 0), nps_with_interval(3, 0, 0))
    assert result.change is None and not result.beyond_noise
