/*
 * Log lines: one JSON object per line on stderr, so that a collector reads
 * fields instead of guessing at them:
 *   {"ts":"2026-12-01T22:40:00.123Z","level":"info","prog":"rb-fcgi",
 *    "pid":1234,"func":"main","request_id":"…","msg":"…"}
 * request_id only while a request is being served. The JSON encoder
 * escapes every control character, so input quoted into a message cannot
 * forge a line. Never log secrets.
 */
#ifndef RB_LOG_H
#define RB_LOG_H

enum log_level { LOG_LVL_ERROR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

void	log_set_level(enum log_level);
/* Request id for this thread's following lines; NULL clears it. */
void	log_set_request_id(const char *);
void	log_msg(enum log_level, const char *func, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* The access line of one served request: msg "request" with its method,
 * path (without the query), matched route pattern, status and duration. */
void	log_request(const char *method, const char *path, const char *route,
	    int status, double ms);

#define log_error(...)	log_msg(LOG_LVL_ERROR, __func__, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_LVL_WARN, __func__, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_LVL_INFO, __func__, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_LVL_DEBUG, __func__, __VA_ARGS__)

#endif
