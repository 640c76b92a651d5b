"""The checks' bookkeeping: each check runs on its own, a failure is recorded and the next one runs."""
import sys
import time
import traceback


class CheckFailed(Exception):
    """A check found the console wrong; the message says what and where."""


def expect(condition, message):
    """Fails the running check with `message` unless `condition` holds."""
    if not condition:
        raise CheckFailed(message)


class Results:
    """Counts passed and failed checks and prints one line per check as it ends."""

    def __init__(self, only=None):
        self.passed = []
        self.failed = []
        self.only = [prefix for prefix in (only or []) if prefix]

    def wanted(self, name):
        """Whether a check of this name runs (CONSOLE_ONLY: a list of name prefixes)."""
        return not self.only or any(name.startswith(prefix) for prefix in self.only)

    def run(self, name, check, *args):
        """Runs `check(*args)` as the check `name`; returns its result, or None when it failed. A check that
        returns a string passes with that note printed (what it could not look at, and why)."""
        if not self.wanted(name):
            return None
        start = time.monotonic()
        try:
            result = check(*args)
        except CheckFailed as failure:
            self._fail(name, str(failure), start)
            return None
        except Exception as error:  # a broken page (no such element, a timeout) fails the check, not the run
            detail = "".join(traceback.format_exception_only(type(error), error)).strip().splitlines()[0][:400]
            ours = [f for f in traceback.extract_tb(error.__traceback__) if "/Tests/Browser/" in f.filename]
            where = f" (at {ours[-1].filename.rsplit('/', 1)[1]}:{ours[-1].lineno} {ours[-1].line})" if ours else ""
            self._fail(name, detail + where, start)
            return None
        self.passed.append(name)
        note = f": {result}" if isinstance(result, str) else ""
        print(f"PASS {name} ({time.monotonic() - start:.1f} s){note}", flush=True)
        return result

    def _fail(self, name, message, start):
        self.failed.append((name, message))
        print(f"FAIL {name} ({time.monotonic() - start:.1f} s): {message}", flush=True)

    def summary(self, seconds):
        """The closing lines: every failure again, then `N passed, N failed`."""
        if self.failed:
            print("\nFailed checks:")
            for name, message in self.failed:
                print(f"  {name}: {message}")
        print(f"\n{len(self.passed)} passed, {len(self.failed)} failed ({seconds:.0f} s)")
        sys.stdout.flush()
        return 1 if self.failed or not self.passed else 0
