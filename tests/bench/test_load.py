"""The arithmetic of the load benchmark: what counts as the fault's errors, its recovery, the steady state."""

from bench.load import fault_window, steady_rows, summary


def row(when, failed=False, status=None, duration=10.0):
    return (when, duration, status if status is not None else (500 if failed else 200), failed, "page")


def test_a_fault_that_fails_nothing_recovers_at_once():
    rows = [row(t) for t in range(100, 120)]
    assert fault_window(rows, t0=105, restored=106) == (0, 0.0, 106)


def test_the_burst_of_failures_after_the_fault_is_the_fault_and_recovery_is_the_next_success():
    rows = sorted([row(t) for t in (100, 101, 102, 110, 111)] + [row(t, failed=True) for t in (103.5, 105, 108)])
    errors, recovery, end = fault_window(rows, t0=103, restored=104)
    assert (errors, end) == (3, 108)
    assert recovery == 110 - 103


def test_a_failure_long_after_the_burst_is_outside_the_fault():
    rows = sorted([row(t) for t in (100, 104, 106, 120)] + [row(t, failed=True) for t in (103.5, 119)])
    errors, recovery, end = fault_window(rows, t0=103, restored=103)
    assert (errors, end) == (1, 103.5)
    assert recovery == 104 - 103


def test_failures_before_the_fault_are_not_counted_in_it():
    rows = sorted([row(t) for t in (101, 102, 104)] + [row(100.5, failed=True)])
    assert fault_window(rows, t0=101.5, restored=102)[0] == 0


def test_summary_counts_server_errors_and_failures():
    rows = [row(100, duration=100), row(101, failed=True, status=0), row(102, failed=True, status=503), row(110)]
    figures = summary(rows)
    assert figures["requests"] == 4
    assert figures["errors_5xx"] == 1
    assert figures["error_rate"] == "0.5000"
    assert figures["rps"] == "0.4"


def test_steady_rows_leave_out_the_ramp_up():
    rows = [row(t) for t in range(100, 130)]
    steady = steady_rows(rows, users=50)
    assert steady[0][0] >= 100 + 7
    assert steady[-1] == rows[-1]
