package rules

// Execution reports code that runs other code — eval/exec, shells,
// deserialisers that execute, dynamic imports — and code hidden by encoding.
var Execution = &Family{
	Name: "execution",
	Doc: "Code that runs other code (eval, exec, shell commands, pickle and unsafe YAML loads, dynamic " +
		"imports) can do anything the caller's permissions allow; when call input or downloaded content " +
		"reaches it, anyone who can call the function can run arbitrary code as the caller.",
	Run: runExecution,
}

func runExecution(pass *Pass) {}
