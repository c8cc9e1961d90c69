package reqs

import (
	"regexp"
	"strings"
)

// Problem messages quote the line, and lines carry credentials: index URLs
// with "user:token@", VCS URLs with a token as user, and values expanded
// from ${VAR}. redactMessage shows the first 4 characters and "…" of each,
// the form secrets.Redact uses everywhere in Preflight.

var userinfoRE = regexp.MustCompile(`://([^/@\s:]*)(:[^/@\s]*)?@`)

func redactValue(s string) string {
	r := []rune(s)
	if len(r) <= 4 {
		return s + "…"
	}
	return string(r[:4]) + "…"
}

func redactMessage(msg string, expanded []string) string {
	for _, v := range expanded {
		if len(v) >= 4 {
			msg = strings.ReplaceAll(msg, v, redactValue(v))
		}
	}
	return userinfoRE.ReplaceAllStringFunc(msg, func(m string) string {
		sub := userinfoRE.FindStringSubmatch(m)
		user, pass := sub[1], sub[2]
		if pass != "" {
			return "://" + user + ":" + redactValue(pass[1:]) + "@"
		}
		if len(user) > 8 { // a token as the user name
			return "://" + redactValue(user) + "@"
		}
		return m
	})
}
