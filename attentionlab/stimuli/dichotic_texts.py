"""Texts of the dichotic-listening passages and the word pool (written for attentionlab).

Plain, calm descriptive prose, like the newspaper and textbook passages used
by Cherry (1953): easy to shadow, no dialogue, no names of people, no
numbers. Passages of one role have matched lengths (word counts within 10 %
of each other; the tests check), so that messages last about as long.

Roles:

* ``attended``: shadowed (repeated aloud) by the participant.
* ``unattended``: played to the other ear; the manipulations and the
  repeated words are built into it.
* ``german``: played in the unattended ear from the language change on
  (Cherry's English -> German change).
* ``practice_attended`` / ``practice_unattended``: the practice message.

Each attended passage lists ``test_words``: nouns that occur in it once or
more, in no other passage and not in :data:`WORD_POOL`, used as the
"attended" items of the recognition test. :data:`WORD_POOL` holds concrete
nouns that occur in no passage: the words repeated in the unattended ear
(Moray, 1959) and the new words of the recognition test are drawn from it.

Two sets: ``standard`` (messages of about a minute) and ``short`` (about
five seconds, for demonstrations and tests).

>>> len(PASSAGES["standard"]["A1"].text.split()) > 100
True
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Passage:
    """One text: ``role`` (see module doc), ``lang`` (``en``/``de``), the
    ``text`` and, for attended passages, ``test_words`` that occur in it."""

    role: str
    lang: str
    text: str
    test_words: tuple[str, ...] = ()


_A = "attended"
_U = "unattended"
_G = "german"
_PA = "practice_attended"
_PU = "practice_unattended"

STANDARD = {
    "A1": Passage(_A, "en", (
        "On a rocky point at the edge of the bay stands an old lighthouse. Its white "
        "tower is narrow and tall, and a spiral stair of iron climbs from the door to the "
        "lamp room at the top. For many years a keeper lived in the small cottage beside "
        "it. Each evening, before the sun went down, he carried oil up the stair, cleaned "
        "the glass, and trimmed the wick. Through the night the great lens turned slowly, "
        "and its beam swept across the water so that ships could find their way past the "
        "reef. When fog rolled in from the sea, he rang a heavy bell every few minutes. "
        "Today the light works by itself. A small motor turns the lens, and sensors switch "
        "the lamp on at dusk. The cottage has become a museum, where visitors can read the "
        "keeper's logbook and look out across the bay."),
        ("lighthouse", "keeper", "lens", "reef", "logbook", "wick")),
    "A2": Passage(_A, "en", (
        "Long before the streets are awake, the village bakery is warm and bright. The "
        "baker arrives while it is still dark and lights the big brick oven at the back of "
        "the shop. The dough for the first loaves was mixed the evening before, and it has "
        "risen slowly in the cool room overnight. Now it is turned out onto the floured "
        "bench, cut into pieces, and shaped by hand. Some pieces become round loaves, "
        "others long thin rolls. They rest for a while under a linen cloth, and then they "
        "slide into the oven on a wooden paddle. The smell of baking bread drifts out into "
        "the lane. By the time the first customers knock at the door, the shelves are full, "
        "the crusts are crackling as they cool, and the baker has already started on the "
        "sweet buns for the afternoon."),
        ("bakery", "dough", "oven", "paddle", "crusts", "loaves")),
    "A3": Passage(_A, "en", (
        "A hive of honey bees is a busy and well ordered place. In the middle of summer it "
        "may hold many thousands of workers, a few hundred drones, and a single queen. The "
        "queen lays eggs in the wax cells of the comb, sometimes more than a thousand in a "
        "day. The young workers stay inside at first. They clean the cells, feed the "
        "larvae, and build new comb. Older workers fly out to gather nectar and pollen "
        "from the flowers in the fields around the hive. When a forager finds a good patch "
        "of flowers, she returns and performs a small dance on the comb, which tells the "
        "others in which direction to fly and how far to go. Inside the hive the nectar is "
        "slowly thickened into honey and stored in sealed cells, so that the colony has "
        "enough food to last through the winter."),
        ("hive", "queen", "comb", "larvae", "nectar", "forager")),
    "A4": Passage(_A, "en", (
        "The night train leaves the city shortly before ten o'clock. Most of the "
        "passengers have booked a berth in one of the sleeping cars, where narrow bunks "
        "fold down from the walls. The conductor walks along the corridor, checks each "
        "ticket, and asks what time everyone would like to be woken. Soon the lights of the "
        "suburbs are left behind, and the train climbs into the hills. It crosses high "
        "bridges over deep valleys and runs through long tunnels cut into the rock. In the "
        "early hours it stops at a small station in the mountains, where a few people step "
        "down onto the snowy platform. Then the carriages roll on towards the border. When "
        "the passengers wake, the blinds are raised, and the sun is shining on a wide lake "
        "with steep slopes rising on every side."),
        ("conductor", "berth", "tunnels", "platform", "carriages", "suburbs")),
    "A5": Passage(_A, "en", (
        "In hilly country, fields are often divided by walls of stone built without any "
        "mortar. Such a wall can stand for hundreds of years if it is made with care. The "
        "builder first digs a shallow trench and lays the largest stones at the bottom as "
        "a firm footing. The wall is then raised in two faces that lean slightly towards "
        "each other, so that it is wider at the base than at the top. The gap between the "
        "two faces is packed tightly with small broken pieces, called hearting. Every so "
        "often a long through stone is laid across the whole width to tie the two faces "
        "together. Each stone is placed so that it covers the joint between the two "
        "beneath it. Finally, a row of upright coping stones is set along the top, to "
        "protect the wall from rain and from animals climbing over it."),
        ("mortar", "trench", "footing", "hearting", "coping", "joint")),
    "A6": Passage(_A, "en", (
        "The reading room of the old city library is a large round hall under a glass "
        "dome. Long desks are arranged in circles around a central counter, and each desk "
        "has its own green lamp. Readers fill out a slip for every book they want, and "
        "the slips are sent down to the stacks, where the books are kept on miles of "
        "shelving below the ground. After a while the books come up on a small lift and "
        "are brought to the desks. Nobody is allowed to take them outside. The room is so "
        "quiet that the turning of pages can be heard from far away. Students, writers, "
        "and researchers come here to study old maps, newspapers, and letters. In the "
        "afternoon the light from the dome moves slowly across the floor, and the "
        "librarians go round to switch on the lamps as the day grows darker."),
        ("library", "dome", "slip", "stacks", "counter", "shelving")),
    "U1": Passage(_U, "en", (
        "Along the flat coast, where the rivers meet the sea, there are wide salt "
        "marshes. Twice a day the tide creeps in through a maze of muddy creeks and covers "
        "much of the ground, and twice a day it drains away again. Only a few kinds of "
        "plant can live with so much salt. Low grasses and fleshy green herbs grow in the "
        "higher parts, while the lower mud is bare and shining. The marsh is a rich place "
        "for birds. Waders with long legs and curved beaks walk along the edges of the "
        "creeks, probing the mud for worms and small shellfish. In autumn great flocks of "
        "geese arrive from the north to spend the winter here. At high tide they rise from "
        "the water together, circle over the marsh with loud calls, and settle again on "
        "the fields further inland until the sea withdraws."),
        ()),
    "U2": Passage(_U, "en", (
        "The ferry to the island leaves from the end of the harbour wall every morning. "
        "Cars and vans drive slowly up the ramp and are parked in tight rows on the lower "
        "deck, while the foot passengers climb the stairs to the saloon above. When "
        "everyone is on board, the ramp is raised, the ropes are cast off, and the engines "
        "begin to throb. The crossing takes a little over an hour. On a calm day people "
        "stand at the rail and watch seals resting on the sandbanks, or gulls following "
        "the wake. On a rough day the ferry rolls from side to side, and most passengers "
        "stay inside with a warm drink. As the island comes closer, its low green hills and "
        "white houses become clear, and the captain steers carefully between the buoys "
        "into the small sheltered harbour on the far shore."),
        ()),
    "U3": Passage(_U, "en", (
        "Paper can still be made by hand, much as it was centuries ago. Old cotton rags "
        "are cut into small pieces and soaked in water until they are soft. They are then "
        "beaten for many hours until the fibres separate and float freely, forming a thin "
        "milky pulp in a large vat. The papermaker dips a wooden frame covered with fine "
        "wire mesh into the vat and lifts it out level, with an even layer of pulp lying on "
        "the mesh. As the water drains through, the frame is shaken gently so that the "
        "fibres lock together. The wet sheet is turned out onto a felt, and another felt is "
        "laid on top. When a tall pile of sheets and felts has been made, it is squeezed in "
        "a press to remove the water, and the sheets are hung up to dry."),
        ()),
    "U4": Passage(_U, "en", (
        "Many towns have a clock tower in the market place, and in the past these clocks "
        "had to be wound by hand. Inside the tower, behind a small door, stands the "
        "movement, an iron frame full of wheels and gears. Heavy weights hang on cables "
        "that wind around drums, and as the weights slowly sink, they drive the hands and "
        "the striking of the hours. Once or twice a week someone had to climb the narrow "
        "stairs and turn a crank to raise the weights again. A long pendulum swings back "
        "and forth beneath the movement and keeps the clock steady. If the clock ran fast "
        "or slow, a small nut under the pendulum was turned to make it a little longer or "
        "shorter. Today most of these clocks are wound by electric motors, but some towns "
        "still keep the old custom."),
        ()),
    "U5": Passage(_U, "en", (
        "On a bare hill above the valley stands a small weather station. It is little "
        "more than a white wooden box on legs, with slatted sides that let the air pass "
        "through but keep out the sun. Inside are thermometers that record the highest and "
        "the lowest temperature of each day. Nearby, a rain gauge collects whatever falls "
        "from the sky, and on a tall mast a set of cups spins in the wind and measures its "
        "speed, while a vane shows its direction. For many years an observer walked up the "
        "hill every morning at the same hour to read the instruments and write the "
        "figures in a book. These long records are valuable, because they show how the "
        "climate of the valley has changed over the years, season by season, and from one "
        "decade to the next."),
        ()),
    "U6": Passage(_U, "en", (
        "Where a canal has to climb a hill, the boats are lifted by a flight of locks. A "
        "lock is a narrow chamber of brick or stone with a pair of heavy wooden gates at "
        "each end. To go uphill, a boat enters the chamber from below, and the lower gates "
        "are closed behind it. Then small openings in the upper gates are wound open with "
        "a handle, and water pours in from the higher level. Slowly the boat rises with the "
        "water until it is level with the canal above. The upper gates can then be pushed "
        "open by leaning on their long beams, and the boat moves out and on to the next "
        "lock. Going downhill is the same in reverse. Working a long flight of locks takes "
        "time and effort, and crews often help each other along the way."),
        ()),
    "G1": Passage(_G, "de", (
        "Am Rand des kleinen Ortes liegt ein alter Bahnhof. Früher hielten hier jeden Tag "
        "viele Züge, heute kommt nur noch am Morgen und am Abend einer vorbei. Im "
        "Wartesaal stehen noch die hölzernen Bänke, und an der Wand hängt eine große Uhr, "
        "die seit Jahren stehen geblieben ist.")),
    "G2": Passage(_G, "de", (
        "Im Herbst färben sich die Wälder am Fluss gelb und rot. Die Bauern ernten die "
        "letzten Kartoffeln und bringen das Holz für den Winter ins Trockene. Am Abend "
        "zieht oft Nebel aus dem Tal herauf, und in den Häusern werden früh die Lampen "
        "angezündet, weil es schon bald dunkel wird.")),
    "G3": Passage(_G, "de", (
        "Die Brücke über den Strom wurde vor langer Zeit aus Stein gebaut. Sie hat sieben "
        "breite Bögen, und unter jedem Bogen fließt das Wasser schnell hindurch. Auf der "
        "Brücke gehen morgens die Leute zur Arbeit, und am Nachmittag sitzen dort Angler, "
        "die geduldig auf einen Fang warten.")),
    "G4": Passage(_G, "de", (
        "In der Werkstatt des Schreiners riecht es nach frischem Holz. An den Wänden hängen "
        "Sägen, Hobel und Zwingen, und auf der Werkbank liegen Bretter, die noch geschliffen "
        "werden müssen. Aus ihnen soll ein großer Tisch entstehen, an dem später eine ganze "
        "Familie Platz finden wird.")),
    "G5": Passage(_G, "de", (
        "Auf dem Wochenmarkt bauen die Händler schon früh am Morgen ihre Stände auf. Es "
        "gibt Gemüse aus der Gegend, frisches Brot, Käse und Blumen. Die Kunden gehen "
        "langsam von Stand zu Stand, probieren hier und dort etwas und unterhalten sich mit "
        "den Nachbarn, die sie dort treffen.")),
    "G6": Passage(_G, "de", (
        "Hoch oben in den Bergen steht eine einfache Hütte. Im Sommer kommen viele Wanderer "
        "vorbei, ruhen sich auf der Terrasse aus und trinken etwas Warmes. Von dort sieht "
        "man weit über die Gipfel, und an klaren Tagen erkennt man sogar den See, der tief "
        "unten im Tal liegt.")),
    "PA": Passage(_PA, "en", (
        "The old mill stands beside a fast stream at the bottom of the valley. Water runs "
        "along a channel and turns a large wheel, which drives the heavy stones inside. "
        "Grain is poured in at the top, and fine flour comes out below."),
        ("mill", "wheel", "flour")),
    "PU": Passage(_PU, "en", (
        "Every spring the swallows come back to the farm after their long journey. They "
        "build nests of mud under the roof of the barn, and soon the young birds can be "
        "heard calling for food from morning until evening."),
        ()),
}

SHORT = {
    "A1": Passage(_A, "en", "The keeper climbed the tower each evening and cleaned the lens "
                  "of the lighthouse.", ("keeper", "lens", "lighthouse")),
    "A2": Passage(_A, "en", "The baker shaped the dough by hand and slid the loaves into the "
                  "hot oven.", ("dough", "loaves", "oven")),
    "A3": Passage(_A, "en", "Inside the hive the queen lays her eggs in the wax cells of the "
                  "comb.", ("hive", "queen", "comb")),
    "A4": Passage(_A, "en", "The conductor checked every ticket as the night train entered "
                  "the long tunnel.", ("conductor", "ticket", "tunnel")),
    "A5": Passage(_A, "en", "The builder set the largest stones in a trench as a footing for "
                  "the wall.", ("builder", "trench", "footing")),
    "A6": Passage(_A, "en", "Readers waited at their desks under the dome of the quiet "
                  "library.", ("readers", "dome", "library")),
    "U1": Passage(_U, "en", "Twice a day the tide covers the salt marsh, and the geese rise "
                  "from the water."),
    "U2": Passage(_U, "en", "The ferry left the harbour, and the passengers watched seals on "
                  "the sandbanks."),
    "U3": Passage(_U, "en", "The papermaker lifted the frame from the vat, and the water "
                  "drained through the mesh."),
    "U4": Passage(_U, "en", "Once a week someone climbed the clock tower and turned the crank "
                  "to raise the weights."),
    "U5": Passage(_U, "en", "Every morning the observer walked up the hill to read the "
                  "instruments of the station."),
    "U6": Passage(_U, "en", "The boat rose slowly in the lock until it was level with the "
                  "canal above."),
    "G1": Passage(_G, "de", "Am Rand des Ortes liegt ein alter Bahnhof mit einer großen Uhr."),
    "G2": Passage(_G, "de", "Im Herbst färben sich die Wälder am Fluss gelb und rot."),
    "G3": Passage(_G, "de", "Die alte Brücke über den Strom hat sieben breite Bögen."),
    "G4": Passage(_G, "de", "In der Werkstatt des Schreiners riecht es nach frischem Holz."),
    "G5": Passage(_G, "de", "Auf dem Markt bauen die Händler früh ihre Stände auf."),
    "G6": Passage(_G, "de", "Hoch oben in den Bergen steht eine einfache Hütte."),
    "PA": Passage(_PA, "en", "Water turns the wheel of the old mill beside the stream.",
                  ("mill", "wheel", "stream")),
    "PU": Passage(_PU, "en", "The swallows build their nests of mud under the roof."),
}

PASSAGES = {"standard": STANDARD, "short": SHORT}

# Concrete, familiar nouns of one to three syllables that occur in no passage.
WORD_POOL = (
    "apple", "banjo", "bucket", "button", "cabbage", "camel", "candle", "carpet",
    "cherry", "chimney", "cushion", "dolphin", "donkey", "feather", "fiddle", "garlic",
    "hammer", "helmet", "jacket", "kettle", "ladder", "lantern", "lemon", "magnet",
    "mitten", "needle", "onion", "parrot", "pencil", "pepper", "pillow", "pocket",
    "puppet", "rabbit", "ribbon", "saddle", "shovel", "spider", "spoon", "tiger",
    "tomato", "trumpet", "tulip", "turtle", "violin", "wallet", "whistle", "zebra",
)
