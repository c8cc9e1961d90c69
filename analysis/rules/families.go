package rules

// Families is every family, in the order they run. Each family's owner adds
// one line here.
var Families = []*Family{
	Exposure,
	Execution,
	Hardcoded,
	CDFOps,
	Egress,
	Metadata,
	SupplyChain,
}
