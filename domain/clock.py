"""Local time of the district: deadlines are counted in days of Asia/Shanghai."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def today() -> date:
    """Today's date in Asia/Shanghai."""
    return datetime.now(SHANGHAI).date()


def local(value: datetime) -> datetime:
    """A naive UTC timestamp (as stored) in Asia/Shanghai."""
    return value.replace(tzinfo=timezone.utc).astimezone(SHANGHAI)
