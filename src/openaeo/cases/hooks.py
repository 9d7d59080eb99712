"""Where the apps above cases take part in a case (openaeo.common.hooks).

certificates registers into the first three from CertificatesConfig.ready(): a case is
about becoming or staying an AEO, and the certificate is the layer above the case.
screening registers its panel for the case page from ScreeningConfig.ready().
"""

from openaeo.common.hooks import Hook

# decision_taken(decision, application, actor): inside case_decide's transaction, after the
# decision is saved. What a decision does beyond the case (a grant issues a certificate, a
# reassessment's outcome suspends or revokes one) happens here; an error rolls it all back.
decision_taken = Hook("cases.decision_taken")

# reapplication_bar(operator, programme) -> the record that bars this business from applying
# to this programme now (a revoked certificate still in its waiting period), or None. The
# record's `aeo_number` and `reapplication_barred_until` are shown to the applicant.
reapplication_bar = Hook("cases.reapplication_bar")

# renewal_of(operator, programme) -> the certificate an application submitted now would renew
# (one in its renewal window, of a tier renewed by reapplication), or None.
renewal_of = Hook("cases.renewal_of")

# compliance_panel(request, application) -> HTML for the compliance section of the officer's
# case page (a SafeString, rendered by the app with its own template), or None to show
# nothing. Shown in the order the apps registered.
compliance_panel = Hook("cases.compliance_panel")
