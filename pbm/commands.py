"""What the day-based management commands share: a `--date` that defaults to today in Bangkok."""

import argparse
import datetime as dt

from django.utils import timezone


def day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"write the day as YYYY-MM-DD, not {text!r}") from None


def add_date_argument(parser: argparse.ArgumentParser, help_text: str) -> None:
    # TIME_ZONE is Asia/Bangkok, so Django's localdate() is today in Bangkok.
    parser.add_argument("--date", type=day, default=None, help=f"{help_text} (YYYY-MM-DD; default: today in Bangkok)")


def date_option(options: dict) -> dt.date:
    return options["date"] or timezone.localdate()
