from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Development only: the demo data (`load_demo_data`) and the load generator for the
    benchmarks. Each domain app contributes its own part; nothing in production imports this."""

    name = "eenloket.devtools"
    label = "devtools"
    verbose_name = "Ontwikkeling"
