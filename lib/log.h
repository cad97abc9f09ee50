/*
 * Log lines: UTC time, level, function, request id, message. Every line
 * goes through log_msg(), which escapes control characters so that input
 * quoted into a message cannot forge a line. Never log secrets.
 */
#ifndef RB_LOG_H
#define RB_LOG_H

enum log_level { LOG_LVL_ERROR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

void	log_set_level(enum log_level);
/* Request id for this thread's following lines; NULL clears it. */
void	log_set_request_id(const char *);
void	log_msg(enum log_level, const char *func, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#define log_error(...)	log_msg(LOG_LVL_ERROR, __func__, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_LVL_WARN, __func__, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_LVL_INFO, __func__, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_LVL_DEBUG, __func__, __VA_ARGS__)

#endif
