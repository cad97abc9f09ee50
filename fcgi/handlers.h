/*
 * Request handlers, one fcgi/<resource>_api.c per resource; each parses,
 * checks access, calls the store or the rules, and responds.
 */
#ifndef RB_HANDLERS_H
#define RB_HANDLERS_H

#include "fcgi/http.h"

/* health_api.c */
void	h_health(struct req *);
/* session_api.c */
void	h_session_create(struct req *);
void	h_session_delete(struct req *);
void	h_me(struct req *);
/* service_api.c */
void	h_services_list(struct req *);
/* authorize_api.c */
void	h_authorize(struct req *);
void	h_authorize_batch(struct req *);
void	h_backoffice_decisions(struct req *);
/* grant_api.c */
void	h_grants_list(struct req *);
void	h_grants_create(struct req *);
void	h_grants_revoke(struct req *);
/* issue 16 §1: the representative's side of a grant (me_grants_api.c) */
void	h_me_grants_list(struct req *);
void	h_me_grant_accept(struct req *);
void	h_me_grant_decline(struct req *);
/* issue 16 §5: review signals of shared credentials (signals.c) */
void	h_backoffice_signals(struct req *);
void	h_backoffice_signal_review(struct req *);
/* employee_api.c */
void	h_employees_list(struct req *);
void	h_employees_csv(struct req *);
void	h_employees_xlsx(struct req *);
void	h_company_overview(struct req *);
void	h_renewal_rules(struct req *);
/* person_api.c */
void	h_person_status(struct req *);
/* issue 16 §2 (fcgi/mobile_api.c) and §4 (fcgi/residency_api.c) */
void	h_person_mobile(struct req *);
void	h_person_mobile_confirm(struct req *);
void	h_me_mobile_confirm(struct req *);
void	h_me_residency(struct req *);
void	h_employment_end(struct req *);
/* subscription_api.c: the company's side of renewal subscriptions */
void	h_renewal_subscribe(struct req *);
void	h_renewal_get(struct req *);
void	h_renewal_patch(struct req *);
/* subscription_api.c: the reviewers' side */
void	h_backoffice_subscriptions(struct req *);
void	h_backoffice_approve(struct req *);
void	h_backoffice_reject(struct req *);
/* dashboard_api.c: the reviewers' dashboard */
void	h_backoffice_dashboard(struct req *);

/* enrollment_api.c (issue 15): the company's side */
void	h_enrollment_submit(struct req *);
void	h_enrollment_get(struct req *);
void	h_sectors_list(struct req *);
void	h_enrollment_letter(struct req *);
void	h_company_suspend(struct req *);
void	h_company_resume(struct req *);
/* enrollment_api.c: the supervisors' side */
void	h_backoffice_enrollments(struct req *);
void	h_backoffice_enrollment(struct req *);
void	h_backoffice_enrollment_license(struct req *);
void	h_backoffice_enrollment_owner_id(struct req *);
void	h_backoffice_enrollment_authority_letter(struct req *);
void	h_backoffice_enrollment_activate(struct req *);
void	h_backoffice_enrollment_return(struct req *);
/* backoffice_api.c: the reviewers' company search */
void	h_backoffice_companies(struct req *);
/* exclusion_api.c */
void	h_exclusions_list(struct req *);
void	h_exclusions_add(struct req *);
void	h_exclusions_delete(struct req *);
void	h_exclusions_csv(struct req *);
/* preview_api.c */
void	h_renewal_preview(struct req *);
/* statement_api.c */
void	h_statements_list(struct req *);
void	h_backoffice_statements(struct req *);
void	h_statement_get(struct req *);
void	h_statement_xlsx(struct req *);
void	h_statement_verify_code(struct req *);
void	h_statement_verify_file(struct req *);
/* outbox_api.c */
void	h_backoffice_outbox(struct req *);
void	h_backoffice_outbox_retry(struct req *);
/* penalty_api.c */
void	h_backoffice_penalties(struct req *);
void	h_backoffice_penalties_xlsx(struct req *);
void	h_backoffice_penalty_waive(struct req *);
void	h_backoffice_penalty_paid(struct req *);
void	h_company_penalties(struct req *);
/* ministry_api.c */
void	h_report_execution_summary(struct req *);
void	h_report_debits(struct req *);
/* lookup_api.c, changes_api.c: issue 13's lookups and change feed */
void	h_person_authority(struct req *);
void	h_company_authorized(struct req *);
void	h_changes(struct req *);

#endif
