package pyast

// Kind is the kind of a lexical token. The set and the names follow CPython's
// Lib/token.py (3.12), with each hard keyword given its own kind so the parser
// can switch on it. Soft keywords (match, case, type, _) are NAME tokens.
type Kind uint8

// Token kinds.
const (
	ILLEGAL Kind = iota // ERRORTOKEN: stray character, invalid UTF-8, NUL, …

	// Structure.
	ENDMARKER
	NEWLINE // end of a logical line
	NL      // non-logical newline (blank line, comment-only line, inside brackets); skipped by the parser
	COMMENT // skipped by the parser
	INDENT
	DEDENT

	// Atoms.
	NAME
	NUMBER
	STRING         // a complete non-f string literal, prefix and quotes included
	FSTRING_START  // f" f' f""" rf' … (prefix and opening quote)
	FSTRING_MIDDLE // literal text of an f-string part or format spec ({{ and }} kept as written)
	FSTRING_END    // the closing quote(s) of an f-string

	// Operators and delimiters (CPython's exact-type names).
	LPAR             // (
	RPAR             // )
	LSQB             // [
	RSQB             // ]
	COLON            // :
	COMMA            // ,
	SEMI             // ;
	PLUS             // +
	MINUS            // -
	STAR             // *
	SLASH            // /
	VBAR             // |
	AMPER            // &
	LESS             // <
	GREATER          // >
	EQUAL            // =
	DOT              // .
	PERCENT          // %
	LBRACE           // {
	RBRACE           // }
	EQEQUAL          // ==
	NOTEQUAL         // !=
	LESSEQUAL        // <=
	GREATEREQUAL     // >=
	TILDE            // ~
	CIRCUMFLEX       // ^
	LEFTSHIFT        // <<
	RIGHTSHIFT       // >>
	DOUBLESTAR       // **
	PLUSEQUAL        // +=
	MINEQUAL         // -=
	STAREQUAL        // *=
	SLASHEQUAL       // /=
	PERCENTEQUAL     // %=
	AMPEREQUAL       // &=
	VBAREQUAL        // |=
	CIRCUMFLEXEQUAL  // ^=
	LEFTSHIFTEQUAL   // <<=
	RIGHTSHIFTEQUAL  // >>=
	DOUBLESTAREQUAL  // **=
	DOUBLESLASH      // //
	DOUBLESLASHEQUAL // //=
	AT               // @
	ATEQUAL          // @=
	RARROW           // ->
	ELLIPSIS         // ...
	COLONEQUAL       // :=
	EXCLAMATION      // ! (only inside f-string replacement fields)

	// Hard keywords.
	keywordBeg
	FALSE    // False
	NONE     // None
	TRUE     // True
	AND      // and
	AS       // as
	ASSERT   // assert
	ASYNC    // async
	AWAIT    // await
	BREAK    // break
	CLASS    // class
	CONTINUE // continue
	DEF      // def
	DEL      // del
	ELIF     // elif
	ELSE     // else
	EXCEPT   // except
	FINALLY  // finally
	FOR      // for
	FROM     // from
	GLOBAL   // global
	IF       // if
	IMPORT   // import
	IN       // in
	IS       // is
	LAMBDA   // lambda
	NONLOCAL // nonlocal
	NOT      // not
	OR       // or
	PASS     // pass
	RAISE    // raise
	RETURN   // return
	TRY      // try
	WHILE    // while
	WITH     // with
	YIELD    // yield
	keywordEnd
)

var kindNames = [...]string{
	ILLEGAL: "ERRORTOKEN", ENDMARKER: "ENDMARKER", NEWLINE: "NEWLINE", NL: "NL", COMMENT: "COMMENT",
	INDENT: "INDENT", DEDENT: "DEDENT", NAME: "NAME", NUMBER: "NUMBER", STRING: "STRING",
	FSTRING_START: "FSTRING_START", FSTRING_MIDDLE: "FSTRING_MIDDLE", FSTRING_END: "FSTRING_END",
	LPAR: "(", RPAR: ")", LSQB: "[", RSQB: "]", COLON: ":", COMMA: ",", SEMI: ";", PLUS: "+",
	MINUS: "-", STAR: "*", SLASH: "/", VBAR: "|", AMPER: "&", LESS: "<", GREATER: ">", EQUAL: "=",
	DOT: ".", PERCENT: "%", LBRACE: "{", RBRACE: "}", EQEQUAL: "==", NOTEQUAL: "!=",
	LESSEQUAL: "<=", GREATEREQUAL: ">=", TILDE: "~", CIRCUMFLEX: "^", LEFTSHIFT: "<<",
	RIGHTSHIFT: ">>", DOUBLESTAR: "**", PLUSEQUAL: "+=", MINEQUAL: "-=", STAREQUAL: "*=",
	SLASHEQUAL: "/=", PERCENTEQUAL: "%=", AMPEREQUAL: "&=", VBAREQUAL: "|=",
	CIRCUMFLEXEQUAL: "^=", LEFTSHIFTEQUAL: "<<=", RIGHTSHIFTEQUAL: ">>=", DOUBLESTAREQUAL: "**=",
	DOUBLESLASH: "//", DOUBLESLASHEQUAL: "//=", AT: "@", ATEQUAL: "@=", RARROW: "->",
	ELLIPSIS: "...", COLONEQUAL: ":=", EXCLAMATION: "!",
	FALSE: "False", NONE: "None", TRUE: "True", AND: "and", AS: "as", ASSERT: "assert",
	ASYNC: "async", AWAIT: "await", BREAK: "break", CLASS: "class", CONTINUE: "continue",
	DEF: "def", DEL: "del", ELIF: "elif", ELSE: "else", EXCEPT: "except", FINALLY: "finally",
	FOR: "for", FROM: "from", GLOBAL: "global", IF: "if", IMPORT: "import", IN: "in", IS: "is",
	LAMBDA: "lambda", NONLOCAL: "nonlocal", NOT: "not", OR: "or", PASS: "pass", RAISE: "raise",
	RETURN: "return", TRY: "try", WHILE: "while", WITH: "with", YIELD: "yield",
}

// String returns the token's CPython name for structural and atom kinds and
// its spelling for operators and keywords.
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "Kind(?)"
}

// IsKeyword reports whether k is a hard keyword.
func (k Kind) IsKeyword() bool { return k > keywordBeg && k < keywordEnd }

// IsOperator reports whether k is an operator or delimiter.
func (k Kind) IsOperator() bool { return k >= LPAR && k <= EXCLAMATION }

// LookupKeyword returns the keyword kind for name, or NAME if it is not a hard keyword.
func LookupKeyword(name string) Kind { return keywordKind(name) }

// keywordKind is LookupKeyword for the scanner's hot path: it is called for
// every identifier, so it switches on the length and compares constant
// strings (no hashing; string(b) conversions in the comparisons do not
// allocate).
func keywordKind[T string | []byte](name T) Kind {
	s := name
	switch len(s) {
	case 2:
		switch string(s) {
		case "as":
			return AS
		case "if":
			return IF
		case "in":
			return IN
		case "is":
			return IS
		case "or":
			return OR
		}
	case 3:
		switch string(s) {
		case "and":
			return AND
		case "def":
			return DEF
		case "del":
			return DEL
		case "for":
			return FOR
		case "not":
			return NOT
		case "try":
			return TRY
		}
	case 4:
		switch string(s) {
		case "None":
			return NONE
		case "True":
			return TRUE
		case "elif":
			return ELIF
		case "else":
			return ELSE
		case "from":
			return FROM
		case "pass":
			return PASS
		case "with":
			return WITH
		}
	case 5:
		switch string(s) {
		case "False":
			return FALSE
		case "async":
			return ASYNC
		case "await":
			return AWAIT
		case "break":
			return BREAK
		case "class":
			return CLASS
		case "raise":
			return RAISE
		case "while":
			return WHILE
		case "yield":
			return YIELD
		}
	case 6:
		switch string(s) {
		case "assert":
			return ASSERT
		case "except":
			return EXCEPT
		case "global":
			return GLOBAL
		case "import":
			return IMPORT
		case "lambda":
			return LAMBDA
		case "return":
			return RETURN
		}
	case 7:
		if string(s) == "finally" {
			return FINALLY
		}
	case 8:
		switch string(s) {
		case "continue":
			return CONTINUE
		case "nonlocal":
			return NONLOCAL
		}
	}
	return NAME
}

// Token is one lexical token: its kind and its byte range [Start, End) in the
// (UTF-8) source. The text is sliced from the source on demand.
type Token struct {
	Kind  Kind
	Start Pos
	End   Pos
}
