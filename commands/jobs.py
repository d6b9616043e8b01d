"""`flask jobs work`: a worker of the background jobs (run as many as wanted, e.g. under systemd)."""
import time

import click
from flask.cli import AppGroup

from jobs import runner

jobs_command = AppGroup("jobs", help="后台任务")


@jobs_command.command("work")
@click.option("--once", is_flag=True, help="处理完当前排队的任务即退出")
@click.option("--lease", default=600, show_default=True, help="领取任务后的租期（秒），超时未完成可被其他进程接手")
@click.option("--interval", default=1.0, show_default=True, help="没有任务时的等待间隔（秒）")
def work_command(once: bool, lease: int, interval: float) -> None:
    """Claim and run queued jobs, one at a time."""
    while True:
        counts = runner.work(lease_seconds=lease)
        if counts:
            click.echo("，".join(f"{k} {v}" for k, v in counts.items()))
        elif once:
            return
        else:
            time.sleep(interval)
        if once:
            return
