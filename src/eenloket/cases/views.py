from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("")


case_list = case_new = patterns = case_detail = conference_ics = case_step = _todo
doorbraak_inbox = doorbraak_detail = signal_list = signal_detail = inzage = case_inzage = _todo
