"""Stroop word lists and participant-facing text in five languages.

Colour words are the four ink colours' names in capitals. Neutral words are
common nouns of similar length with no colour association (so that the
neutral condition measures reading without a conflicting colour name);
each language's list includes its accented letters so that rendering is
exercised. The X-string neutral is built from the colour words' lengths.
"""

INK_COLOURS = ("red", "green", "blue", "yellow")

# Screen colours (sRGB, 0-255) chosen to be clearly distinct and bright
# enough on a black background; blue is lightened because pure blue is too
# dark to read on black.
INK_RGB255 = {
    "red": (235, 40, 40),
    "green": (30, 190, 60),
    "blue": (70, 110, 255),
    "yellow": (240, 220, 30),
}

COLOUR_WORDS = {
    "en": {"red": "RED", "green": "GREEN", "blue": "BLUE", "yellow": "YELLOW"},
    "de": {"red": "ROT", "green": "GRÜN", "blue": "BLAU", "yellow": "GELB"},
    "fr": {"red": "ROUGE", "green": "VERT", "blue": "BLEU", "yellow": "JAUNE"},
    "es": {"red": "ROJO", "green": "VERDE", "blue": "AZUL", "yellow": "AMARILLO"},
    "nl": {"red": "ROOD", "green": "GROEN", "blue": "BLAUW", "yellow": "GEEL"},
}

NEUTRAL_WORDS = {
    "en": ("SHIP", "TABLE", "HORSE", "CHAIR"),
    "de": ("TISCH", "HAUS", "BÜRO", "SCHUH"),
    "fr": ("TABLE", "MAISON", "CHÂTEAU", "ÉCOLE"),
    "es": ("MESA", "CASA", "ÁRBOL", "CAMIÓN"),
    "nl": ("TAFEL", "HUIS", "STOEL", "FIETS"),
}

LANGUAGES = tuple(COLOUR_WORDS)

# Participant-facing text. {legend} is replaced by the key legend,
# {n_blocks}/{block} by numbers. Kept short: people skim instructions.
TEXT = {
    "en": {
        "colour_names": {"red": "red", "green": "green", "blue": "blue", "yellow": "yellow"},
        "welcome": (
            "In this task you will see words printed in colour.\n\n"
            "Ignore what the word says. Press the key for the COLOUR OF THE INK.\n\n"
            "Example: the word BLUE printed in red ink -> press the key for red.\n\n"
            "Keys:\n{legend}\n\n"
            "Keep your fingers on the four keys. Answer as quickly as you can while "
            "making as few mistakes as possible.\n\nPress SPACE to continue."),
        "practice": ("First a few practice trials. You will be told after each one "
                     "whether you were right.\n\nPress SPACE to start the practice."),
        "test": ("Practice is over. Now the real task begins: there is no more "
                 "feedback. Respond to the ink colour, quickly and accurately.\n\n"
                 "Press SPACE to start."),
        "break": ("Block {block} of {n_blocks} done. Take a short break.\n\n"
                  "Press SPACE when you are ready to continue."),
        "thanks": "That is the end of the task. Thank you!\n\nPlease tell the experimenter you have finished.",
        "correct": "Correct",
        "wrong": "Wrong: the ink was {ink}",
        "too_slow": "Too slow: please answer faster",
        "legend_title": "Keys",
    },
    "de": {
        "colour_names": {"red": "rot", "green": "grün", "blue": "blau", "yellow": "gelb"},
        "welcome": (
            "In dieser Aufgabe sehen Sie farbig gedruckte Wörter.\n\n"
            "Achten Sie nicht darauf, was das Wort bedeutet. Drücken Sie die Taste für "
            "die FARBE DER SCHRIFT.\n\n"
            "Beispiel: das Wort BLAU in roter Schrift -> Taste für rot.\n\n"
            "Tasten:\n{legend}\n\n"
            "Lassen Sie die Finger auf den vier Tasten. Antworten Sie so schnell wie "
            "möglich und mit möglichst wenigen Fehlern.\n\nWeiter mit der LEERTASTE."),
        "practice": ("Zuerst einige Übungsdurchgänge. Nach jedem erfahren Sie, ob Ihre "
                     "Antwort richtig war.\n\nLEERTASTE startet die Übung."),
        "test": ("Die Übung ist vorbei. Jetzt beginnt die eigentliche Aufgabe, ohne "
                 "Rückmeldung. Reagieren Sie schnell und genau auf die Schriftfarbe.\n\n"
                 "LEERTASTE zum Beginnen."),
        "break": ("Block {block} von {n_blocks} geschafft. Machen Sie eine kurze Pause.\n\n"
                  "Weiter mit der LEERTASTE, wenn Sie bereit sind."),
        "thanks": "Die Aufgabe ist beendet. Vielen Dank!\n\nBitte sagen Sie der Versuchsleitung Bescheid.",
        "correct": "Richtig",
        "wrong": "Falsch: die Schrift war {ink}",
        "too_slow": "Zu langsam: bitte schneller antworten",
        "legend_title": "Tasten",
    },
    "fr": {
        "colour_names": {"red": "rouge", "green": "vert", "blue": "bleu", "yellow": "jaune"},
        "welcome": (
            "Dans cette tâche, vous verrez des mots écrits en couleur.\n\n"
            "Ne tenez pas compte du sens du mot. Appuyez sur la touche de la COULEUR "
            "DE L'ENCRE.\n\n"
            "Exemple : le mot BLEU écrit en rouge -> touche du rouge.\n\n"
            "Touches :\n{legend}\n\n"
            "Gardez les doigts sur les quatre touches. Répondez le plus vite possible "
            "en faisant le moins d'erreurs possible.\n\nAppuyez sur ESPACE pour continuer."),
        "practice": ("D'abord quelques essais d'entraînement. Après chacun, vous saurez "
                     "si votre réponse était juste.\n\nESPACE pour commencer l'entraînement."),
        "test": ("L'entraînement est terminé. La vraie tâche commence, sans retour. "
                 "Répondez à la couleur de l'encre, vite et bien.\n\nESPACE pour commencer."),
        "break": ("Bloc {block} sur {n_blocks} terminé. Faites une courte pause.\n\n"
                  "Appuyez sur ESPACE quand vous êtes prêt(e)."),
        "thanks": "La tâche est terminée. Merci !\n\nVeuillez prévenir l'expérimentateur.",
        "correct": "Correct",
        "wrong": "Erreur : l'encre était {ink}",
        "too_slow": "Trop lent : répondez plus vite",
        "legend_title": "Touches",
    },
    "es": {
        "colour_names": {"red": "rojo", "green": "verde", "blue": "azul", "yellow": "amarillo"},
        "welcome": (
            "En esta tarea verá palabras impresas en color.\n\n"
            "No haga caso de lo que dice la palabra. Pulse la tecla del COLOR DE LA TINTA.\n\n"
            "Ejemplo: la palabra AZUL en tinta roja -> tecla del rojo.\n\n"
            "Teclas:\n{legend}\n\n"
            "Mantenga los dedos sobre las cuatro teclas. Responda lo más rápido "
            "posible cometiendo el menor número de errores.\n\nPulse ESPACIO para continuar."),
        "practice": ("Primero unos ensayos de práctica. Después de cada uno sabrá si "
                     "acertó.\n\nPulse ESPACIO para empezar la práctica."),
        "test": ("La práctica ha terminado. Ahora empieza la tarea, sin avisos de "
                 "acierto. Responda al color de la tinta, rápido y con precisión.\n\n"
                 "Pulse ESPACIO para empezar."),
        "break": ("Bloque {block} de {n_blocks} terminado. Descanse un momento.\n\n"
                  "Pulse ESPACIO cuando esté listo/a."),
        "thanks": "La tarea ha terminado. ¡Gracias!\n\nAvise a la persona que dirige el experimento.",
        "correct": "Correcto",
        "wrong": "Error: la tinta era {ink}",
        "too_slow": "Demasiado lento: responda más rápido",
        "legend_title": "Teclas",
    },
    "nl": {
        "colour_names": {"red": "rood", "green": "groen", "blue": "blauw", "yellow": "geel"},
        "welcome": (
            "In deze taak ziet u woorden die in kleur gedrukt zijn.\n\n"
            "Let niet op wat het woord betekent. Druk op de toets voor de KLEUR VAN DE INKT.\n\n"
            "Voorbeeld: het woord BLAUW in rode inkt -> toets voor rood.\n\n"
            "Toetsen:\n{legend}\n\n"
            "Houd uw vingers op de vier toetsen. Antwoord zo snel mogelijk met zo weinig "
            "mogelijk fouten.\n\nDruk op SPATIE om verder te gaan."),
        "practice": ("Eerst enkele oefenbeurten. Na elke beurt hoort u of uw antwoord "
                     "goed was.\n\nDruk op SPATIE om de oefening te starten."),
        "test": ("De oefening is voorbij. Nu begint de echte taak, zonder terugkoppeling. "
                 "Reageer snel en nauwkeurig op de inktkleur.\n\nDruk op SPATIE om te beginnen."),
        "break": ("Blok {block} van {n_blocks} klaar. Neem een korte pauze.\n\n"
                  "Druk op SPATIE als u klaar bent om verder te gaan."),
        "thanks": "De taak is afgelopen. Hartelijk dank!\n\nMeld aan de proefleider dat u klaar bent.",
        "correct": "Goed",
        "wrong": "Fout: de inkt was {ink}",
        "too_slow": "Te langzaam: antwoord sneller",
        "legend_title": "Toetsen",
    },
}

# Vocal mode (response=voice) is English only (the recogniser's model), so
# only English texts; they replace or add to TEXT["en"] in that mode.
# "vocabulary": the word the recogniser listens for, per ink colour.
VOICE_TEXT = {
    "en": {
        "vocabulary": {"red": "red", "green": "green", "blue": "blue", "yellow": "yellow"},
        "welcome": (
            "In this task you will see words printed in colour.\n\n"
            "Ignore what the word says. Say the COLOUR OF THE INK aloud:\n"
            "red, green, blue or yellow.\n\n"
            "Example: the word BLUE printed in red ink -> say \u201cred\u201d.\n\n"
            "Speak clearly, as soon as you know the answer. Say only the colour: "
            "no \u201cum\u201d, no coughing, no other words while a word is on the screen.\n\n"
            "Each word stays on the screen for a fixed time; the next one follows by "
            "itself.\n\n"
            "Press SPACE to continue."),
        "mic_check": (
            "Microphone check\n\nWhen you press space, read this sentence aloud as loudly "
            "as you will name the colours:\n\n\u201c{sentence}\u201d\n\nPress space to start."),
        "not_understood": "Not understood: please say the ink colour clearly",
    },
}
