"""Settings read from the environment."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def normalise_database_url(url: str) -> str:
    """Accept the usual postgres:// spellings and use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'jianyitong.sqlite3'}"
    return normalise_database_url(url)


class Config:
    ENV_NAME = os.environ.get("APP_ENV", "production")
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    FLASK_ADMIN_SWATCH = "default"
    ADMIN_PAGE_SIZE = 20
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    # Notices: providers per channel (log by default), the SMS gateway, SMTP, retries.
    NOTIFY_SMS_PROVIDER = os.environ.get("NOTIFY_SMS_PROVIDER", "log")  # log | http
    NOTIFY_EMAIL_PROVIDER = os.environ.get("NOTIFY_EMAIL_PROVIDER", "log")  # log | smtp
    SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
    SMS_GATEWAY_KEY = os.environ.get("SMS_GATEWAY_KEY", "")
    SMTP_HOST = os.environ.get("SMTP_HOST", "localhost")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "25"))
    SMTP_SENDER = os.environ.get("SMTP_SENDER", "jianyitong@localhost")
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_STARTTLS = os.environ.get("SMTP_STARTTLS", "") == "1"
    OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
    OUTBOX_BACKOFF_SECONDS = int(os.environ.get("OUTBOX_BACKOFF_SECONDS", "60"))
    # Background jobs: production runs `flask jobs work` processes; the embedded default a thread in the web process.
    JOBS_IN_PROCESS = os.environ.get("JOBS_IN_PROCESS", "") == "1"


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    JOBS_IN_PROCESS = os.environ.get("JOBS_IN_PROCESS", "1") == "1"
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-only-not-secret"
    WTF_CSRF_ENABLED = False
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast hashing for tests only

    @property
    def SQLALCHEMY_DATABASE_URI(self):  # read when the test app is created
        return normalise_database_url(os.environ.get("TEST_DATABASE_URL", "sqlite://"))


CONFIGS = {"development": DevelopmentConfig, "test": TestConfig, "production": Config}
