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

#endif
