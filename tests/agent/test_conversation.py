"""Scripted conversations: follow-ups across turns, every reference form, questions when a
reference is unclear, and what the agent queued (jobs are checked by their recorded
parameters; test_agent_jobs.py runs a few for real)."""

from sessionstudio import library as L
from sessionstudio.agent.refs import ASK_FOR_ITEM
from sessionstudio.jobs.queue import get_job


def job_of(s, reply):
    assert reply.jobs, reply.text
    return get_job(s.lib, reply.jobs[0])


def test_generate_with_settings_in_words(studio):
    s = studio
    r = s.say("generate an image of a lighthouse at dusk, 16:9")
    job = job_of(s, r)
    assert (job.kind, job.action, job.prompt, job.params["aspect"]) == (
        "image", "generate", "a lighthouse at dusk", "16:9")
    assert "Generating an image of “a lighthouse at dusk”" in r.text and "appear" in r.text
    job = job_of(s, s.say("make a video of waves on rocks, 10 seconds, zoom out"))
    assert (job.kind, job.params["duration"], job.params["direction"]) == ("video", 10.0, "out")
    job = job_of(s, s.say("generate 30 seconds of calm piano music"))
    assert (job.kind, job.params["length"], job.params["mood"], job.prompt) == (
        "music", 30.0, "calm", "calm piano")
    job = job_of(s, s.say('create a voiceover saying "Welcome back" with a British accent, slower'))
    assert (job.prompt, job.params["accent"], job.params["speed"]) == ("Welcome back", "British", 0.8)
    r = s.say("generate an image")
    assert r.question and not r.jobs
    job = job_of(s, s.say("a red fox in the snow"))             # the answer finishes it
    assert (job.kind, job.prompt) == ("image", "a red fox in the snow")


def test_follow_ups_refer_to_what_was_just_done(studio):
    s = studio
    r = s.say("rename the second clip to Beach walk")
    assert r.text == "Renamed #3 “Middle” to “Beach walk”." and s.item("Middle").name == "Beach walk"
    job = job_of(s, s.say("make it a bit longer"))              # it = the clip just renamed
    assert (job.action, job.source_item_id, job.params["seconds"]) == ("extend", s.ids["Middle"], 2.0)
    job = job_of(s, s.say("do the same thing to the outro"))
    assert (job.action, job.source_item_id, job.params["seconds"]) == ("extend", s.ids["Outro"], 2.0)
    job = job_of(s, s.say("make the outro a lot longer"))
    assert job.params["seconds"] == 8.0
    job = job_of(s, s.say("make the song longer"))              # music: remix with a longer length
    assert (job.title, job.params["length"], job.params["genre"]) == ("Remix", 45.0, "jazz")
    job = job_of(s, s.say("make the voiceover slower"))         # voiceover: recreate, lower speed
    assert (job.prompt, job.params["speed"]) == ("Welcome to the show", 0.8)
    job = job_of(s, s.say("make the first image brighter"))     # picture: edit "brighter"
    assert (job.action, job.prompt, job.source_item_id) == ("edit", "brighter", s.ids["Dunes"])
    r = s.say("upscale it 4x")                                  # it = that edit, not made yet
    assert "still being made" in r.text and not r.jobs
    job = job_of(s, s.say("upscale the last image 4x"))
    assert (job.action, job.params["factor"], job.source_item_id) == ("upscale", "4", s.ids["Sky"])


def test_every_reference_form(studio):
    s = studio
    s.say("favorite #1")
    assert s.item("Dunes").favorite
    s.say("rename that to Desert")                              # that = the item last acted on
    assert s.item("Dunes").name == "Desert"
    s.say("rename the last image to Clouds")
    s.say("rename the intro to Opening")
    s.say("rename the outro to Closing")
    s.say('rename the image called "Desert" to Dunes')
    assert [s.item(n).name for n in ("Dunes", "Sky", "Intro", "Outro")] == [
        "Dunes", "Clouds", "Opening", "Closing"]
    s.say("rename this to Chosen", selected=[s.ids["Middle"]])  # this = the selected item
    assert s.item("Middle").name == "Chosen"
    job = job_of(s, s.say("animate the selected image, 6 seconds", selected=[s.ids["Sky"]]))
    assert (job.action, job.params["duration"], job.source_item_id) == ("image_to_video", 6.0, s.ids["Sky"])
    job = job_of(s, s.say("remix the song"))
    assert job.title == "Remix" and job.params["length"] == 30.0
    r = s.say("translate the outro to French")
    assert "needs to know what is said" in r.text and not r.jobs   # the engine's own reason
    job = job_of(s, s.say("lip-sync the intro to the voiceover"))
    assert (job.action, job.params["audio"]) == ("lipsync", s.ids["Narration"])
    job = job_of(s, s.say("generate music for the second clip"))
    assert (job.action, job.source_item_id) == ("music_from_media", s.ids["Middle"])
    job = job_of(s, s.say("make an avatar from #7"))
    assert (job.action, job.source_item_id) == ("avatar", s.ids["Sky"])
    job = job_of(s, s.say("edit the first image: warmer and crop to 16:9"))
    assert job.prompt == "warmer and crop to 16:9"


def test_unclear_references_are_asked_about_never_guessed(studio):
    s = studio
    r = s.say("make it longer")                                 # nothing acted on, nothing selected
    assert r.question and r.text == ASK_FOR_ITEM and not r.jobs
    job = job_of(s, s.say("the outro"))                         # the answer finishes the request
    assert (job.action, job.source_item_id) == ("extend", s.ids["Outro"])
    r = s.say("rename the clip to Beach")
    assert r.question and "#2 “Intro”, #3 “Middle” or #4 “Outro”" in r.text
    s.say("#3")
    assert s.item("Middle").name == "Beach"
    r = s.say("rename the image to Photo")
    assert r.question and "#1 “Dunes”" in r.text and "#7 “Sky”" in r.text
    r = s.say("lip-sync the intro")                             # music and a voiceover could do
    assert r.question and "“Song”" in r.text and "“Narration”" in r.text
    job = job_of(s, s.say("the voiceover"))
    assert job.params["audio"] == s.ids["Narration"]
    r = s.say("delete this", selected=[s.ids["Dunes"], s.ids["Sky"]])
    assert s.item("Dunes").trashed_at is not None              # delete takes a selection of several
    r = s.say("rename this to One", selected=[s.ids["Intro"], s.ids["Outro"]])
    assert r.question and "Several items are selected" in r.text
    s.say("rename the song to Tune")
    r = s.say("rename that video to Clip")                      # that = the song, not a video
    assert r.question and "is a music track, not a video" in r.text
    r = s.say("extend the narration")
    assert not r.jobs


def test_canvas_filter_limits_what_references_see(studio):
    s = studio
    r = s.say("show only videos")
    assert r.filters == ["video"]
    assert L.get_session(s.lib, s.sid).settings["filters"] == ["video"]
    s.say("rename #1 to First")                                 # numbers count what is shown
    assert s.item("Intro").name == "First"
    r = s.say("rename the last image to X")
    assert "No images are visible" in r.text and "show everything" in r.text
    r = s.say("undo that")                                      # the rename, not the filter
    assert s.item("Intro").name == "Intro"
    r = s.say("undo that")
    assert r.filters == [] and L.get_session(s.lib, s.sid).settings["filters"] == []


def test_attached_item_becomes_the_reference(studio):
    s = studio
    job = job_of(s, s.say("make it brighter", attached=s.ids["Sky"]))
    assert (job.action, job.prompt, job.source_item_id) == ("edit", "brighter", s.ids["Sky"])
    s.say("rename #2 to Start")
    assert s.agent.focus(s.conversation) == s.ids["Intro"]
    r = s.say("rename it to Nothing", attached="")              # let go of the reference
    assert r.question and s.item("Intro").name == "Start"


def test_help_and_things_it_cannot_do(studio):
    s = studio
    assert "undo that" in s.say("help").text
    r = s.say("what's the weather like")
    assert r.text.startswith("I didn't understand") and not r.applied["effects"]
    assert "Only videos and music can be extended" in s.say("extend the first image").text
    assert "An image has no length" in s.say("make the first image longer").text
