"""A tiny offline phrasebook so voiceovers can be "translated" without a network.

Whole phrases are looked up first (greedy, longest match), then single words. This is
a phrasebook, not a translator: when under 60% of the words are covered the result
would mislead, so translate_text returns None and the caller says so.
"""

from __future__ import annotations

import re

TARGETS = ("es", "fr", "de", "it", "pt")
_NAMES = {"spanish": "es", "french": "fr", "german": "de", "italian": "it", "portuguese": "pt",
          "english": "en"}
MIN_COVERAGE = 0.6

# English -> "es|fr|de|it|pt". Phrases carry no end punctuation; the source's is kept.
_PHRASES = """
hello=hola|bonjour|hallo|ciao|olá
hi=hola|salut|hallo|ciao|oi
welcome=bienvenidos|bienvenue|willkommen|benvenuti|bem-vindos
welcome back=bienvenidos de nuevo|bon retour|willkommen zurück|bentornati|bem-vindos de volta
welcome to the show=bienvenidos al programa|bienvenue dans l'émission|willkommen zur Show|benvenuti allo spettacolo|bem-vindos ao programa
thank you=gracias|merci|danke|grazie|obrigado
thanks=gracias|merci|danke|grazie|obrigado
thank you very much=muchas gracias|merci beaucoup|vielen Dank|grazie mille|muito obrigado
thank you for watching=gracias por ver|merci d'avoir regardé|danke fürs Zuschauen|grazie per la visione|obrigado por assistir
good morning=buenos días|bonjour|guten Morgen|buongiorno|bom dia
good afternoon=buenas tardes|bon après-midi|guten Tag|buon pomeriggio|boa tarde
good evening=buenas noches|bonsoir|guten Abend|buonasera|boa noite
good night=buenas noches|bonne nuit|gute Nacht|buonanotte|boa noite
goodbye=adiós|au revoir|auf Wiedersehen|arrivederci|adeus
bye=adiós|salut|tschüss|ciao|tchau
see you soon=hasta pronto|à bientôt|bis bald|a presto|até logo
see you later=hasta luego|à plus tard|bis später|a dopo|até mais
see you next time=hasta la próxima|à la prochaine|bis zum nächsten Mal|alla prossima|até a próxima
yes=sí|oui|ja|sì|sim
no=no|non|nein|no|não
please=por favor|s'il vous plaît|bitte|per favore|por favor
sorry=lo siento|désolé|Entschuldigung|scusa|desculpe
excuse me=disculpe|excusez-moi|entschuldigen Sie|mi scusi|com licença
let's get started=empecemos|commençons|fangen wir an|cominciamo|vamos começar
let's go=vamos|allons-y|los geht's|andiamo|vamos
how are you=cómo estás|comment allez-vous|wie geht es dir|come stai|como vai você
i love you=te quiero|je t'aime|ich liebe dich|ti amo|eu te amo
happy birthday=feliz cumpleaños|joyeux anniversaire|alles Gute zum Geburtstag|buon compleanno|feliz aniversário
congratulations=felicidades|félicitations|herzlichen Glückwunsch|congratulazioni|parabéns
good luck=buena suerte|bonne chance|viel Glück|buona fortuna|boa sorte
have a nice day=que tengas un buen día|bonne journée|einen schönen Tag noch|buona giornata|tenha um bom dia
nice to meet you=mucho gusto|enchanté|freut mich|piacere|prazer em conhecê-lo
my name is=me llamo|je m'appelle|ich heiße|mi chiamo|meu nome é
don't forget to subscribe=no olvides suscribirte|n'oubliez pas de vous abonner|vergiss nicht zu abonnieren|non dimenticare di iscriverti|não se esqueça de se inscrever
happy new year=feliz año nuevo|bonne année|frohes neues Jahr|buon anno|feliz ano novo
merry christmas=feliz Navidad|joyeux Noël|frohe Weihnachten|buon Natale|feliz Natal
i don't understand=no entiendo|je ne comprends pas|ich verstehe nicht|non capisco|não entendo
i am=yo soy|je suis|ich bin|io sono|eu sou
you are=tú eres|tu es|du bist|tu sei|você é
we are=somos|nous sommes|wir sind|siamo|nós somos
they are=son|ils sont|sie sind|sono|eles são
it is=es|c'est|es ist|è|é
there is=hay|il y a|es gibt|c'è|há
"""

# Numbers and about 150 everyday words, for the word-by-word fallback.
_WORDS = """
zero=cero|zéro|null|zero|zero
one=uno|un|eins|uno|um
two=dos|deux|zwei|due|dois
three=tres|trois|drei|tre|três
four=cuatro|quatre|vier|quattro|quatro
five=cinco|cinq|fünf|cinque|cinco
six=seis|six|sechs|sei|seis
seven=siete|sept|sieben|sette|sete
eight=ocho|huit|acht|otto|oito
nine=nueve|neuf|neun|nove|nove
ten=diez|dix|zehn|dieci|dez
the=el|le|der|il|o
a=un|un|ein|un|um
an=un|un|ein|un|um
i=yo|je|ich|io|eu
you=tú|vous|du|tu|você
he=él|il|er|lui|ele
she=ella|elle|sie|lei|ela
we=nosotros|nous|wir|noi|nós
they=ellos|ils|sie|loro|eles
it=eso|cela|es|esso|isso
my=mi|mon|mein|mio|meu
your=tu|votre|dein|tuo|seu
our=nuestro|notre|unser|nostro|nosso
this=este|ce|dieser|questo|este
that=ese|cela|das|quello|aquele
is=es|est|ist|è|é
are=son|sont|sind|sono|são
am=soy|suis|bin|sono|sou
was=era|était|war|era|era
be=ser|être|sein|essere|ser
have=tener|avoir|haben|avere|ter
has=tiene|a|hat|ha|tem
do=hacer|faire|tun|fare|fazer
not=no|pas|nicht|non|não
and=y|et|und|e|e
or=o|ou|oder|o|ou
but=pero|mais|aber|ma|mas
with=con|avec|mit|con|com
without=sin|sans|ohne|senza|sem
for=para|pour|für|per|para
to=a|à|zu|a|para
of=de|de|von|di|de
in=en|dans|in|in|em
on=en|sur|auf|su|em
at=en|à|bei|a|em
from=de|de|aus|da|de
about=sobre|sur|über|su|sobre
here=aquí|ici|hier|qui|aqui
there=allí|là|dort|lì|lá
now=ahora|maintenant|jetzt|adesso|agora
today=hoy|aujourd'hui|heute|oggi|hoje
tomorrow=mañana|demain|morgen|domani|amanhã
yesterday=ayer|hier|gestern|ieri|ontem
always=siempre|toujours|immer|sempre|sempre
never=nunca|jamais|nie|mai|nunca
again=otra vez|encore|wieder|ancora|de novo
together=juntos|ensemble|zusammen|insieme|juntos
very=muy|très|sehr|molto|muito
more=más|plus|mehr|più|mais
all=todo|tout|alle|tutto|tudo
every=cada|chaque|jeder|ogni|cada
new=nuevo|nouveau|neu|nuovo|novo
old=viejo|vieux|alt|vecchio|velho
good=bueno|bon|gut|buono|bom
bad=malo|mauvais|schlecht|cattivo|mau
big=grande|grand|groß|grande|grande
small=pequeño|petit|klein|piccolo|pequeno
beautiful=hermoso|beau|schön|bello|bonito
happy=feliz|heureux|glücklich|felice|feliz
sad=triste|triste|traurig|triste|triste
great=genial|génial|toll|fantastico|ótimo
best=mejor|meilleur|beste|migliore|melhor
first=primero|premier|erste|primo|primeiro
last=último|dernier|letzte|ultimo|último
time=tiempo|temps|Zeit|tempo|tempo
day=día|jour|Tag|giorno|dia
night=noche|nuit|Nacht|notte|noite
morning=mañana|matin|Morgen|mattina|manhã
year=año|an|Jahr|anno|ano
world=mundo|monde|Welt|mondo|mundo
life=vida|vie|Leben|vita|vida
love=amor|amour|Liebe|amore|amor
friend=amigo|ami|Freund|amico|amigo
friends=amigos|amis|Freunde|amici|amigos
family=familia|famille|Familie|famiglia|família
home=casa|maison|Zuhause|casa|casa
house=casa|maison|Haus|casa|casa
city=ciudad|ville|Stadt|città|cidade
country=país|pays|Land|paese|país
water=agua|eau|Wasser|acqua|água
food=comida|nourriture|Essen|cibo|comida
music=música|musique|Musik|musica|música
video=vídeo|vidéo|Video|video|vídeo
song=canción|chanson|Lied|canzone|canção
story=historia|histoire|Geschichte|storia|história
people=gente|gens|Leute|gente|pessoas
man=hombre|homme|Mann|uomo|homem
woman=mujer|femme|Frau|donna|mulher
child=niño|enfant|Kind|bambino|criança
children=niños|enfants|Kinder|bambini|crianças
car=coche|voiture|Auto|macchina|carro
road=camino|route|Straße|strada|estrada
sun=sol|soleil|Sonne|sole|sol
moon=luna|lune|Mond|luna|lua
sky=cielo|ciel|Himmel|cielo|céu
sea=mar|mer|Meer|mare|mar
mountain=montaña|montagne|Berg|montagna|montanha
tree=árbol|arbre|Baum|albero|árvore
flower=flor|fleur|Blume|fiore|flor
light=luz|lumière|Licht|luce|luz
heart=corazón|cœur|Herz|cuore|coração
dream=sueño|rêve|Traum|sogno|sonho
work=trabajo|travail|Arbeit|lavoro|trabalho
school=escuela|école|Schule|scuola|escola
book=libro|livre|Buch|libro|livro
game=juego|jeu|Spiel|gioco|jogo
team=equipo|équipe|Team|squadra|equipe
show=programa|émission|Show|spettacolo|programa
product=producto|produit|Produkt|prodotto|produto
company=empresa|entreprise|Firma|azienda|empresa
start=empezar|commencer|anfangen|iniziare|começar
stop=parar|arrêter|aufhören|fermare|parar
go=ir|aller|gehen|andare|ir
come=venir|venir|kommen|venire|vir
see=ver|voir|sehen|vedere|ver
look=mirar|regarder|schauen|guardare|olhar
listen=escuchar|écouter|hören|ascoltare|ouvir
watch=mirar|regarder|ansehen|guardare|assistir
make=hacer|faire|machen|fare|fazer
take=tomar|prendre|nehmen|prendere|tomar
give=dar|donner|geben|dare|dar
want=querer|vouloir|wollen|volere|querer
need=necesitar|avoir besoin|brauchen|avere bisogno|precisar
like=gustar|aimer|mögen|piacere|gostar
know=saber|savoir|wissen|sapere|saber
think=pensar|penser|denken|pensare|pensar
say=decir|dire|sagen|dire|dizer
speak=hablar|parler|sprechen|parlare|falar
learn=aprender|apprendre|lernen|imparare|aprender
play=jugar|jouer|spielen|giocare|jogar
sing=cantar|chanter|singen|cantare|cantar
dance=bailar|danser|tanzen|ballare|dançar
eat=comer|manger|essen|mangiare|comer
drink=beber|boire|trinken|bere|beber
live=vivir|vivre|leben|vivere|viver
help=ayuda|aide|Hilfe|aiuto|ajuda
buy=comprar|acheter|kaufen|comprare|comprar
find=encontrar|trouver|finden|trovare|encontrar
open=abrir|ouvrir|öffnen|aprire|abrir
where=dónde|où|wo|dove|onde
when=cuándo|quand|wann|quando|quando
what=qué|quoi|was|che cosa|o que
who=quién|qui|wer|chi|quem
why=por qué|pourquoi|warum|perché|por que
how=cómo|comment|wie|come|como
red=rojo|rouge|rot|rosso|vermelho
blue=azul|bleu|blau|blu|azul
green=verde|vert|grün|verde|verde
white=blanco|blanc|weiß|bianco|branco
black=negro|noir|schwarz|nero|preto
everyone=todos|tout le monde|alle|tutti|todos
thank=gracias|merci|danke|grazie|obrigado
"""


def _table(text: str) -> dict[str, tuple[str, ...]]:
    rows = {}
    for line in text.strip().splitlines():
        english, _, rest = line.partition("=")
        rows[english] = tuple(rest.split("|"))
    return rows


PHRASES = _table(_PHRASES)
WORDS = _table(_WORDS)
_LONGEST = max(len(p.split()) for p in PHRASES)


def _sentence(sentence: str, col: int) -> tuple[str, int, int]:
    """(translation, covered words, total words) for one sentence."""
    tokens = re.findall(r"[\w'’-]+", sentence.lower().replace("’", "'"))
    out, covered, i = [], 0, 0
    while i < len(tokens):
        for span in range(min(_LONGEST, len(tokens) - i), 0, -1):
            chunk = " ".join(tokens[i:i + span])
            row = PHRASES.get(chunk) or (WORDS.get(chunk) if span == 1 else None)
            if row:
                out.append(row[col])
                covered += span
                i += span
                break
        else:
            # Numbers and names pass through; digits are the same in every target.
            covered += tokens[i].isdigit()
            out.append(tokens[i])
            i += 1
    return " ".join(out), covered, len(tokens)


def translate_text(text: str, language: str) -> str | None:
    """`text` (English) in `language` (es, fr, de, it, pt; en returns it unchanged),
    or None when the phrasebook covers fewer than 60% of its words."""
    lang = _NAMES.get(language.strip().lower(), language.strip().lower()[:2])
    if lang == "en":
        return text
    if lang not in TARGETS or not text.strip():
        return None
    col = TARGETS.index(lang)
    result, covered, total = [], 0, 0
    for sentence, end in re.findall(r"([^.!?\n]+)([.!?]*)", text):
        if not sentence.strip():
            continue
        words, c, t = _sentence(sentence, col)
        covered, total = covered + c, total + t
        if not words:
            continue
        words = words[0].upper() + words[1:]
        if lang == "es" and end.startswith(("?", "!")):
            words = ("¿" if end.startswith("?") else "¡") + words
        result.append(words + end)
    if total == 0 or covered / total < MIN_COVERAGE:
        return None
    return " ".join(result)
