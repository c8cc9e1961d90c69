package rules

// Exposure reports secrets and the caller's credentials reaching places
// others can read: logs, the call's return value, exception messages, CDF
// objects and files.
var Exposure = &Family{
	Name: "exposure",
	Doc: "Secrets (the function's secrets, secret environment variables, hard-coded keys) and the caller's " +
		"own credentials must not reach function logs, the return value, exception messages, CDF objects " +
		"or files: anyone with functions:read can read logs and call results.",
	Run: runExposure,
}

func runExposure(pass *Pass) {}
