package views

func init() {
	addMessages("en", map[string]string{
		"ws.members.err.email":    "Enter a valid email address.",
		"ws.members.err.name":     "Enter the member's name.",
		"ws.members.err.short":    "The password needs at least %d characters.",
		"ws.members.err.long":     "The password can be at most %d bytes long.",
		"ws.members.err.encoding": "The password contains characters that cannot be read (invalid UTF-8).",
		"ws.members.err.exists":   "A member with this email address already exists.",
	})
	addMessages("da", map[string]string{
		"ws.members.err.email":    "Angiv en gyldig e-mailadresse.",
		"ws.members.err.name":     "Angiv medlemmets navn.",
		"ws.members.err.short":    "Adgangskoden skal have mindst %d tegn.",
		"ws.members.err.long":     "Adgangskoden må højst være %d byte lang.",
		"ws.members.err.encoding": "Adgangskoden indeholder tegn, der ikke kan læses (ugyldig UTF-8).",
		"ws.members.err.exists":   "Der findes allerede et medlem med denne e-mailadresse.",
	})
	addMessages("sv", map[string]string{
		"ws.members.err.email":    "Ange en giltig e-postadress.",
		"ws.members.err.name":     "Ange medlemmens namn.",
		"ws.members.err.short":    "Lösenordet måste ha minst %d tecken.",
		"ws.members.err.long":     "Lösenordet får vara högst %d byte långt.",
		"ws.members.err.encoding": "Lösenordet innehåller tecken som inte kan läsas (ogiltig UTF-8).",
		"ws.members.err.exists":   "Det finns redan en medlem med den här e-postadressen.",
	})
	addMessages("nb", map[string]string{
		"ws.members.err.email":    "Skriv inn en gyldig e-postadresse.",
		"ws.members.err.name":     "Skriv inn navnet på medlemmet.",
		"ws.members.err.short":    "Passordet må ha minst %d tegn.",
		"ws.members.err.long":     "Passordet kan være høyst %d byte langt.",
		"ws.members.err.encoding": "Passordet inneholder tegn som ikke kan leses (ugyldig UTF-8).",
		"ws.members.err.exists":   "Det finnes allerede et medlem med denne e-postadressen.",
	})
}
