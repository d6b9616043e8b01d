import click


@click.command("demo")
def demo_command():
    """Placeholder on this branch: the real demo loader lands on main."""
