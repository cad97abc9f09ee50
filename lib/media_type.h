/* The media types of what we hand out as files: one spelling each. */
#ifndef RB_MEDIA_TYPE_H
#define RB_MEDIA_TYPE_H

#define MEDIA_XLSX	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define MEDIA_CSV	"text/csv; charset=utf-8"

#endif
