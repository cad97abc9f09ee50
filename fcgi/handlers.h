/* Request handlers, one file per resource. */
#ifndef RB_HANDLERS_H
#define RB_HANDLERS_H

#include "http.h"

void	h_health(struct req *);		/* health.c */
void	h_session_create(struct req *);	/* session_api.c */
void	h_session_delete(struct req *);
void	h_me(struct req *);
void	h_services_list(struct req *);	/* services.c */
void	h_authorize(struct req *);	/* authorize.c */
void	h_grants_list(struct req *);	/* grants.c */
void	h_grants_create(struct req *);
void	h_grants_revoke(struct req *);
void	h_employees_list(struct req *);	/* employees.c */
void	h_person_status(struct req *);	/* persons.c */
void	h_employment_end(struct req *);
void	h_renewal_subscribe(struct req *);	/* renewal.c */
void	h_renewal_get(struct req *);
void	h_renewal_patch(struct req *);
void	h_backoffice_subscriptions(struct req *);	/* backoffice.c */
void	h_backoffice_approve(struct req *);
void	h_backoffice_reject(struct req *);
void	h_backoffice_companies(struct req *);
void	h_exclusions_list(struct req *);	/* exclusions.c */
void	h_exclusions_add(struct req *);
void	h_exclusions_delete(struct req *);
void	h_exclusions_csv(struct req *);
void	h_renewal_preview(struct req *);	/* preview.c */
void	h_statements_list(struct req *);	/* statements.c */
void	h_backoffice_statements(struct req *);
void	h_backoffice_outbox(struct req *);		/* outbox.c */
void	h_backoffice_outbox_retry(struct req *);
void	h_statement_get(struct req *);
void	h_statement_xlsx(struct req *);
void	h_statement_verify_code(struct req *);
void	h_statement_verify_file(struct req *);
void	h_report_execution_summary(struct req *);	/* ministry.c */
void	h_report_debits(struct req *);

#endif
