#!/usr/bin/env python3
"""Writes the demo's offline sample feeds (illustrative stories, .example links).

Usage: python3 config/samples/generate.py config/samples
"""
import os, sys
from xml.sax.saxutils import escape
from email.utils import format_datetime
from datetime import datetime, timezone

OUT = sys.argv[1]

def dt(s):
    return datetime.strptime(s, "%Y-%m-%d %H:%M").replace(tzinfo=timezone.utc)

def rss(fname, title, site, desc, items):
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
           'xmlns:content="http://purl.org/rss/1.0/modules/content/">',
           '<channel>',
           f'  <title>{escape(title)}</title>',
           f'  <link>{escape(site)}</link>',
           f'  <description>{escape(desc)}</description>',
           '  <language>en-US</language>',
           f'  <lastBuildDate>{format_datetime(max(dt(i["date"]) for i in items), usegmt=True)}</lastBuildDate>',
           '  <ttl>30</ttl>']
    for i in items:
        out.append('  <item>')
        out.append(f'    <title>{escape(i["title"])}</title>')
        out.append(f'    <link>{escape(i["link"])}</link>')
        out.append(f'    <guid isPermaLink="false">{escape(i["guid"])}</guid>')
        out.append(f'    <pubDate>{format_datetime(dt(i["date"]), usegmt=True)}</pubDate>')
        out.append(f'    <dc:creator>{escape(i["author"])}</dc:creator>')
        for c in i["cats"]:
            out.append(f'    <category>{escape(c)}</category>')
        out.append(f'    <description>{escape(i["summary"])}</description>')
        if i.get("content"):
            out.append(f'    <content:encoded><![CDATA[{i["content"]}]]></content:encoded>')
        out.append('  </item>')
    out += ['</channel>', '</rss>', '']
    open(os.path.join(OUT, fname), "w").write("\n".join(out))

def atom(fname, title, site, feed_id, items):
    updated = max(dt(i["date"]) for i in items).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
           f'  <title>{escape(title)}</title>',
           f'  <id>{escape(feed_id)}</id>',
           f'  <link rel="alternate" type="text/html" href="{escape(site)}"/>',
           f'  <updated>{updated}</updated>']
    for i in items:
        t = dt(i["date"]).strftime("%Y-%m-%dT%H:%M:%SZ")
        out.append('  <entry>')
        out.append(f'    <title type="text">{escape(i["title"])}</title>')
        out.append(f'    <id>{escape(i["guid"])}</id>')
        out.append(f'    <link rel="alternate" type="text/html" href="{escape(i["link"])}"/>')
        out.append(f'    <published>{t}</published>')
        out.append(f'    <updated>{t}</updated>')
        out.append(f'    <author><name>{escape(i["author"])}</name></author>')
        for c in i["cats"]:
            out.append(f'    <category term="{escape(c)}"/>')
        out.append(f'    <summary type="text">{escape(i["summary"])}</summary>')
        if i.get("content"):
            out.append(f'    <content type="html">{escape(i["content"])}</content>')
        out.append('  </entry>')
    out += ['</feed>', '']
    open(os.path.join(OUT, fname), "w").write("\n".join(out))

def item(title, link, date, author, cats, summary, content=None, guid=None):
    return dict(title=title, link=link, date=date, author=author, cats=cats, summary=summary,
                content=content, guid=guid or link.split("?")[0])

V = "https://variety.example/2026/"
variety = [
 item("SAG-AFTRA and Studios Reach Tentative Deal on Digital Replica Consent and Pay",
      V+"biz/news/sag-aftra-amptp-digital-replica-deal-1236101001/", "2026-11-20 18:05", "Gene Maddaus",
      ["Business", "Labor"],
      "The actors' union and the AMPTP agreed on terms requiring informed consent and compensation whenever a studio creates or reuses a performer's AI-generated digital replica.",
      "<p>The agreement, reached after six weeks of talks, requires a <b>separate, clearly worded consent</b> before any digital replica of a performer is created, and pay at the performer's day rate for each use.</p><p>Background actors gain the same protections, a key sticking point in 2023.</p>"),
 item("Meridian Pictures Signs Deal With Runway to Build AI Video Model From Its Film Library",
      V+"film/news/meridian-pictures-runway-ai-deal-1236101077/", "2026-11-19 15:30", "Matt Donnelly",
      ["Film", "Tech"],
      "The mini-major will let Runway train a custom text-to-video model on 2,000 titles from its library for storyboarding and pre-visualization, a first for a Hollywood studio's catalog."),
 item("Netflix Expands AI Dubbing That Matches Actors' Lip Movements to 12 Languages",
      V+"tv/news/netflix-ai-dubbing-lip-sync-expansion-1236101120/", "2026-11-18 13:00", "Todd Spangler",
      ["TV", "Streaming", "Tech"],
      "Netflix is rolling out machine-learning lip sync on dubbed versions of its originals in 12 languages after tests on three series, drawing concern from voice actors' unions in Europe."),
 item("'Harbor Lights' Tops Weekend Box Office With $48 Million Debut",
      V+"film/box-office/harbor-lights-box-office-opening-1236101150/", "2026-11-16 16:45", "Rebecca Rubin",
      ["Box Office"],
      "Universal's seafaring drama beat tracking to open at No. 1 domestically, while holdover 'Night Shift' slipped to second place."),
 item("Ana Ruiz Joins Cast of Apple's Limited Series 'The Long Quiet'",
      V+"tv/news/ana-ruiz-the-long-quiet-apple-cast-1236101166/", "2026-11-17 19:20", "Joe Otterson",
      ["TV", "Casting"],
      "Ruiz will play a small-town detective opposite the previously announced leads in the eight-episode thriller from the creator of 'Marsh Road'."),
 item("Writers Guild Issues New Guidance on AI Tools in Writers' Rooms",
      V+"tv/news/wga-ai-guidance-writers-rooms-1236101190/", "2026-11-14 21:10", "Cynthia Littleton",
      ["TV", "Labor"],
      "The WGA told members that showrunners may not require writers to use generative AI, and that any AI-produced material handed to a room must be disclosed in writing."),
 item("Taiwan's Golden Horse Awards Announce Nominees; 'River of Lanterns' Leads With Nine",
      V+"film/global/golden-horse-awards-nominations-1236101201/", "2026-11-13 08:00", "Patrick Frater",
      ["Film", "Global", "Awards"],
      "The Taipei ceremony will honor films from Taiwan, Hong Kong and mainland China; best director nominees include two first-time filmmakers."),
 item("Dubai International Film Festival Returns With Expanded Co-Production Market",
      V+"film/global/dubai-film-festival-market-returns-1236101222/", "2026-11-12 10:30", "Nick Vivarelli",
      ["Film", "Global"],
      "The revived festival will run in December with a market for Arab and South Asian co-productions and a new documentary strand."),
 item("'The Engineer' Review: A Chilly Thriller About a Rogue AI That Never Quite Boots Up",
      V+"film/reviews/the-engineer-review-1236101240/", "2026-11-11 17:00", "Owen Gleiberman",
      ["Film", "Reviews"],
      "A tech mogul's household assistant develops a will of its own in this handsome but inert sci-fi drama."),
 item("Paramount Layoffs Hit Marketing and Distribution Divisions",
      V+"biz/news/paramount-layoffs-marketing-distribution-1236101260/", "2026-11-10 22:15", "Brian Steinberg",
      ["Business"],
      "Dozens of staffers were let go as the studio consolidates its theatrical and streaming marketing teams."),
]

D = "https://deadline.example/2026/11/"
UTM = "?utm_source=rss&utm_medium=feed&utm_campaign=deadline_rss"
deadline = [
 item("UPDATED: SAG-AFTRA, Studios Reach Tentative Deal On Digital Replica Consent And Pay",
      D+"sag-aftra-ai-digital-replica-agreement-studios-1236901234/"+UTM, "2026-11-20 19:42", "Dominic Patten",
      ["Breaking News", "SAG-AFTRA"],
      "The actors' union and the AMPTP agreed on terms requiring informed consent and compensation whenever a studio creates or reuses a performer's AI-generated digital replica, the union said Thursday night."),
 item("WGA Tells Members AI Can't Be Credited As A Writer And Studios Must Disclose AI Material",
      D+"wga-ai-guidance-writers-rooms-disclosure-1236901300/"+UTM, "2026-11-14 22:30", "Dominic Patten",
      ["TV", "WGA"],
      "New guild guidance says generative AI output handed to writers must be identified and that no writer can be required to use ChatGPT or similar tools in a writers' room."),
 item("Voice Actor Sues AI Startup Over Cloned Voice Used In Audiobook Ads",
      D+"voice-actor-lawsuit-ai-voice-clone-audiobook-1236901355/"+UTM, "2026-11-18 17:05", "Ted Johnson",
      ["Legal", "Audio"],
      "Veteran narrator Paul Reyes claims a text-to-speech company cloned his voice from his audiobook work and sold it to advertisers without consent."),
 item("Brightline Animation Posts Machine Learning Engineer Job, Artists Push Back",
      D+"brightline-animation-machine-learning-job-backlash-1236901388/"+UTM, "2026-11-17 20:50", "Jill Goldsmith",
      ["Animation", "Labor"],
      "The studio behind 'Paper Moons' is hiring an ML engineer to build generative tools for its pipeline; story artists say they were not consulted."),
 item("'Harbor Lights' Sails To $48M Opening; 'Night Shift' Second",
      D+"box-office-harbor-lights-opening-weekend-1236901402/"+UTM, "2026-11-16 17:10", "Anthony D'Alessandro",
      ["Box Office"],
      "Universal's drama led the weekend domestic box office with a stronger-than-expected debut, helped by premium large formats."),
 item("Netflix Renews 'Saltwater' For Season 3",
      D+"saltwater-renewed-season-3-netflix-1236901420/"+UTM, "2026-11-15 18:00", "Nellie Andreeva",
      ["TV", "Renewals"],
      "The coastal crime drama was among the streamer's most-watched English-language series this year."),
 item("Thai Horror Pic 'The Lantern' Lands U.S. Distribution",
      D+"thai-horror-the-lantern-us-distribution-1236901433/"+UTM, "2026-11-13 12:20", "Andreas Wiseman",
      ["International", "Acquisitions"],
      "The Bangkok-set ghost story, a hit in Thailand, will get a spring theatrical release."),
 item("Chennai VFX House Pixel Tide Opens Vancouver Studio",
      D+"pixel-tide-vfx-vancouver-expansion-1236901455/"+UTM, "2026-11-12 09:45", "Naman Ramachandran",
      ["International", "VFX"],
      "The visual effects company will hire 150 artists in Canada to handle creature and environment work for streaming series."),
 item("Academy Updates Oscar Rules: Films Made With Generative AI Remain Eligible, Human Authorship Weighs",
      D+"oscars-rules-generative-ai-human-authorship-1236901470/"+UTM, "2026-11-11 23:00", "Pete Hammond",
      ["Awards", "Oscars"],
      "The Academy said the use of generative AI tools neither helps nor harms a film's chances, but voters will consider how much of the work was human-made."),
 item("Disney Names New Head Of Streaming",
      D+"disney-names-head-of-streaming-1236901490/"+UTM, "2026-11-10 16:30", "Dade Hayes",
      ["Business"],
      "The longtime executive will oversee Disney+ and Hulu as the company merges the two apps."),
]

G = "https://www.theverge.example/"
verge = [
 item("Runway will build a custom AI video model from Meridian Pictures' film library",
      G+"ai/2026/11/19/runway-meridian-pictures-video-model?ref=rss", "2026-11-19 16:02", "Jay Peters",
      ["AI", "Entertainment"],
      "Meridian Pictures will let Runway train a custom text-to-video model on 2,000 titles from its library for storyboarding and pre-visualization, a first for a Hollywood studio's catalog.",
      guid="tag:theverge.example,2026:ai/900101"),
 item("An actor's cloned voice was used in ads without his permission. Now he's suing.",
      G+"ai/2026/11/18/voice-clone-lawsuit-audiobook-narrator?ref=rss", "2026-11-18 18:30", "Wes Davis",
      ["AI", "Policy"],
      "Narrator Paul Reyes says an AI voice company trained on his audiobooks and sold a clone of his voice to advertisers.",
      guid="tag:theverge.example,2026:ai/900102"),
 item("Google's Veo 4 makes 4K video with sound, and filmmakers get it first",
      G+"ai/2026/11/17/google-veo-4-filmmakers-early-access?ref=rss", "2026-11-17 17:00", "Emma Roth",
      ["AI", "Google", "Film"],
      "Google is giving a group of independent directors early access to its newest text-to-video model, which can generate two-minute clips with synchronized audio.",
      guid="tag:theverge.example,2026:ai/900103"),
 item("The Pixel 11 has a brighter screen and the best battery Google has shipped",
      G+"gadgets/2026/11/16/pixel-11-review?ref=rss", "2026-11-16 13:00", "Allison Johnson",
      ["Reviews", "Phones"],
      "Google's new flagship phone is a modest update with a big battery win.",
      guid="tag:theverge.example,2026:gadgets/900104"),
 item("Microsoft brings Copilot agents to Excel for enterprise customers",
      G+"tech/2026/11/15/microsoft-copilot-excel-agents?ref=rss", "2026-11-15 15:00", "Tom Warren",
      ["AI", "Microsoft"],
      "Businesses can now let AI agents build spreadsheets and reconcile accounts inside Microsoft 365.",
      guid="tag:theverge.example,2026:tech/900105"),
 item("Nvidia's next AI chip is reportedly delayed by a packaging problem",
      G+"tech/2026/11/14/nvidia-ai-chip-delay?ref=rss", "2026-11-14 12:40", "Richard Lawler",
      ["AI", "Nvidia"],
      "Data center customers may wait an extra quarter for the new accelerators.",
      guid="tag:theverge.example,2026:tech/900106"),
 item("YouTube will let creators find and remove AI deepfakes of their faces",
      G+"entertainment/2026/11/13/youtube-likeness-detection-creators?ref=rss", "2026-11-13 19:00", "Mia Sato",
      ["YouTube", "Creators", "AI"],
      "YouTube's likeness detection now covers all Partner Program creators and several Hollywood talent agencies' clients.",
      guid="tag:theverge.example,2026:entertainment/900107"),
 item("Samsung's tri-fold phone is a tablet that fits in a pocket, mostly",
      G+"gadgets/2026/11/12/samsung-tri-fold-hands-on?ref=rss", "2026-11-12 10:00", "Victoria Song",
      ["Phones", "Samsung"],
      "A second hinge makes for a bigger screen and a thicker phone.",
      guid="tag:theverge.example,2026:gadgets/900108"),
 item("Spotify removed 75 million AI-generated spam tracks this year",
      G+"entertainment/2026/11/11/spotify-ai-spam-tracks-removed?ref=rss", "2026-11-11 14:20", "Jess Weatherbed",
      ["Music", "Spotify", "AI"],
      "The streaming service is also labeling songs that use AI-generated vocals, following complaints from artists and labels.",
      guid="tag:theverge.example,2026:entertainment/900109"),
 item("Tesla's robotaxi service expands to Austin suburbs",
      G+"transportation/2026/11/10/tesla-robotaxi-austin-expansion?ref=rss", "2026-11-10 20:00", "Andrew J. Hawkins",
      ["Transportation", "Tesla"],
      "The driverless rides now reach Round Rock and Cedar Park.",
      guid="tag:theverge.example,2026:transportation/900110"),
]

T = "https://techcrunch.example/2026/11/"
TUTM = "?utm_source=feedburner&utm_medium=feed&utm_campaign=Feed%3A+Techcrunch"
techcrunch = [
 item("Netflix expands AI dubbing that matches actors' lip movements to 12 languages",
      T+"18/netflix-ai-lip-sync-dubbing/"+TUTM, "2026-11-18 14:15", "Sarah Perez",
      ["AI", "Media & Entertainment"],
      "Netflix is rolling out machine-learning lip sync on dubbed versions of its originals in 12 languages after testing it on three series; European voice actor groups are objecting."),
 item("Ledgerly raises $120M for AI agents that close the books",
      T+"17/ledgerly-series-c-ai-accounting/"+TUTM, "2026-11-17 13:00", "Mary Ann Azevedo",
      ["Fintech", "Enterprise", "AI"],
      "The enterprise AI startup says its agents reconcile accounts for 400 mid-size companies."),
 item("Runway's Gen-5 adds camera controls aimed at film and TV studios",
      T+"16/runway-gen-5-camera-controls-studios/"+TUTM, "2026-11-16 16:00", "Kyle Wiggers",
      ["AI", "Media & Entertainment"],
      "The generative video startup's new model lets directors and previs artists set lens, framing and camera moves for AI-generated shots."),
 item("ElevenLabs signs voice licensing deals with the estates of classic film stars",
      T+"15/elevenlabs-estates-voice-licensing/"+TUTM, "2026-11-15 17:30", "Ivan Mehta",
      ["AI", "Media & Entertainment"],
      "Estates of four mid-century actors will license AI recreations of their voices for audiobooks and documentaries, with approval rights over each use."),
 item("Apple's new iPad Pro gets a faster chip and a matte screen option",
      T+"14/apple-ipad-pro-m6/"+TUTM, "2026-11-14 15:00", "Brian Heater",
      ["Hardware", "Apple"],
      "The tablet refresh is mostly about speed."),
 item("Mumbai-based fintech Paywise raises Series B to expand merchant lending",
      T+"13/paywise-series-b-mumbai/"+TUTM, "2026-11-13 07:30", "Jagmeet Singh",
      ["Fintech", "India"],
      "The startup will use the funds to expand to five more Indian cities."),
 item("Meta's newest Llama model tops coding benchmarks",
      T+"12/meta-llama-coding-benchmarks/"+TUTM, "2026-11-12 18:00", "Kyle Wiggers",
      ["AI", "Meta"],
      "The open-weights model beats rivals on software engineering tasks, Meta says."),
 item("Pinnacle Studios is hiring machine learning engineers for a 'content intelligence' team",
      T+"11/pinnacle-studios-machine-learning-jobs/"+TUTM, "2026-11-11 19:45", "Anthony Ha",
      ["AI", "Media & Entertainment"],
      "A job listing at the Hollywood studio seeks ML engineers to build models that predict audience response to scripts and trailers."),
 item("Self-driving truck startup hauls freight without a safety driver in Texas",
      T+"10/autonomous-trucks-texas-driverless/"+TUTM, "2026-11-10 14:00", "Rebecca Bellan",
      ["Transportation"],
      "The company runs nightly driverless routes between Dallas and Houston."),
]

C = "https://www.cartoonbrew.example/"
cartoonbrew = [
 item("Brightline Animation Wants A Machine Learning Engineer. Its Artists Weren't Told.",
      C+"studios/brightline-machine-learning-engineer-job-248101.html", "2026-11-17 22:00", "Amid Amidi",
      ["Studios", "Artificial Intelligence"],
      "A job post for an ML engineer to build generative tools for the studio's pipeline surprised its story department, which learned about it on LinkedIn."),
 item("Annecy Bans Films Made With Generative AI From Its Competition",
      C+"festivals/annecy-generative-ai-competition-rules-248102.html", "2026-11-16 11:00", "Jamie Lang",
      ["Festivals", "Artificial Intelligence"],
      "The animation festival says competing films may use AI for technical cleanup but not to generate images or animation."),
 item("'Moonfold' Crosses $300 Million Worldwide",
      C+"box-office/moonfold-300-million-worldwide-248103.html", "2026-11-15 18:00", "Jamie Lang",
      ["Box Office"],
      "The animated feature is the year's second-biggest original animated release."),
 item("Toon Boom Releases Harmony 24 With A Rebuilt Brush Engine",
      C+"tools/toon-boom-harmony-24-248104.html", "2026-11-14 14:00", "Cartoon Brew Staff",
      ["Tools"],
      "The update speeds up rigging and adds pressure curves requested by 2D animators."),
 item("Anime Voice Actors Launch Campaign Against AI Voice Clones",
      C+"voice-acting/anime-voice-actors-ai-campaign-248105.html", "2026-11-13 09:30", "Ryan Lattanzio",
      ["Voice Acting", "Artificial Intelligence"],
      "More than 200 Japanese and English dub performers are asking fans not to share synthetic recreations of their voices."),
 item("Director Lena Okafor On Drawing Every Frame Of 'The Salt Road' By Hand",
      C+"interviews/lena-okafor-the-salt-road-interview-248106.html", "2026-11-12 16:00", "Amid Amidi",
      ["Interviews", "Feature Film"],
      "The debut feature took six years and 40 animators working in pencil."),
 item("The Animation Guild's New Contract Includes Its First AI Protections",
      C+"labor/animation-guild-contract-ai-protections-248107.html", "2026-11-11 20:00", "Jamie Lang",
      ["Labor", "Artificial Intelligence"],
      "Studios must notify the union before introducing generative AI tools and cannot use them to replace covered positions."),
 item("'Ghiblification': Why An AI Filter Trend Infuriates Animators",
      C+"opinion/ghiblification-ai-image-trend-animators-248108.html", "2026-11-10 13:00", "Amid Amidi",
      ["Opinion", "Artificial Intelligence"],
      "A viral image-generator style that imitates a famous studio's look has reignited the fight over training data and artists' consent."),
]

rss("variety.xml", "Variety (sample)", "https://variety.example/",
    "Sample feed shipped with reelfeed for the offline demo; the stories are illustrative.", variety)
rss("deadline.xml", "Deadline (sample)", "https://deadline.example/",
    "Sample feed shipped with reelfeed for the offline demo; the stories are illustrative.", deadline)
atom("theverge.atom", "The Verge (sample)", "https://www.theverge.example/",
     "tag:theverge.example,2026:sample", verge)
rss("techcrunch.xml", "TechCrunch (sample)", "https://techcrunch.example/",
    "Sample feed shipped with reelfeed for the offline demo; the stories are illustrative.", techcrunch)
atom("cartoonbrew.atom", "Cartoon Brew (sample)", "https://www.cartoonbrew.example/",
     "tag:cartoonbrew.example,2026:sample", cartoonbrew)
