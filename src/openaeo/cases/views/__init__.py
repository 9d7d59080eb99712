"""The pages of cases, one module per page or group of pages:

- applicant.py: the applicant's side (submitting, the status page, replies, withdrawal,
  appeals, the decision letter);
- case_page.py: the officer's case page and the actions taken from it;
- visit_panel.py: the validation visit's panel and the corrective actions, as both pages
  show them;
- visit.py: the validation visit's and corrective actions' own actions;
- queue.py: the officers' work queue.

Routes and their rules: ../urls.py and ../policy.py.
"""
