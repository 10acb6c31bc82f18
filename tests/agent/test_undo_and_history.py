"""'Undo that' reverses the agent's last change and nothing else; a new conversation
forgets the context but keeps every edit; history pages 20 at a time, and a restored
conversation continues with its own context."""

from sessionstudio import library as L
from sessionstudio.jobs.queue import get_job


def test_undo_reverses_the_agents_last_change_only(studio):
    s = studio
    s.say("rename the first image to Desert")
    L.rename_item(s.lib, item_id=s.ids["Sky"], name="Mine")    # the user's own change, after it
    r = s.say("undo that")
    assert r.text == "Undone: renamed “Desert” back to “Dunes”."
    assert s.item("Dunes").name == "Dunes" and s.item("Sky").name == "Mine"
    assert s.lib.undo_label() == "Rename item"                  # the library's stack is not popped
    r = s.say("undo that")
    assert "nothing of mine to undo" in r.text and s.item("Sky").name == "Mine"


def test_undo_and_redo_each_kind_of_change(studio):
    s = studio
    s.say("favorite the second clip")
    s.say("delete the last image")
    r = s.say("make the outro longer")
    job_id = r.jobs[0]
    assert s.item("Middle").favorite and s.item("Sky").trashed_at is not None
    s.say("undo that")                                          # a queued job is cancelled
    assert get_job(s.lib, job_id).state == "cancelled"
    s.say("undo that")
    assert s.item("Sky").trashed_at is None
    s.say("undo that")
    assert not s.item("Middle").favorite
    r = s.say("redo")                                           # the most recently undone first
    assert r.text.startswith("Redone:") and s.item("Middle").favorite
    s.say("redo")
    assert s.item("Sky").trashed_at is not None
    s.say("redo")
    assert get_job(s.lib, job_id).state == "queued"             # queued again
    assert "nothing of mine to redo" in s.say("redo").text


def test_a_new_change_ends_the_redo_chain(studio):
    s = studio
    s.say("rename #1 to A")
    s.say("undo that")
    s.say("rename #7 to B")
    r = s.say("redo")
    assert "other changes since" in r.text and s.item("Dunes").name == "Dunes"


def test_new_conversation_forgets_context_but_keeps_edits(studio):
    s = studio
    s.say("rename the intro to Opening")
    first = s.conversation
    s.conversation = s.agent.new_conversation(s.sid)
    assert s.conversation != first
    r = s.say("undo that")
    assert "nothing of mine to undo" in r.text and s.item("Intro").name == "Opening"
    assert s.say("rename it to X").question                    # 'it' is gone with the context
    assert s.agent.messages(first)[-1].text == "Renamed #2 “Intro” to “Opening”."


def test_restored_conversation_continues_with_its_context(studio):
    s = studio
    s.say("rename the intro to Opening")
    first = s.conversation
    second = s.conversation = s.agent.new_conversation(s.sid)
    s.say("favorite #1")
    s.conversation = first                                      # picked from History
    s.say("rename it to Start")                                 # it = the intro, from that talk
    assert s.item("Intro").name == "Start" and s.item("Dunes").favorite
    s.say("undo that")
    s.say("undo that")
    assert s.item("Intro").name == "Intro" and s.item("Dunes").favorite   # the other talk's stays
    page = s.agent.history(s.sid)                               # newest first, by creation
    assert [c.id for c in page.conversations] == [second, first] and not page.has_more
    assert [c.title for c in page.conversations] == ["favorite #1", "rename the intro to Opening"]


def test_history_pages_twenty_at_a_time_newest_first(studio):
    s = studio
    made = []
    for n in range(45):
        s.conversation = s.agent.new_conversation(s.sid)
        s.say(f"rename #1 to Name {n}")
        made.append(s.conversation)
    s.agent.new_conversation(s.sid)                             # empty: not listed
    first = s.agent.history(s.sid)
    assert len(first.conversations) == 20 and first.has_more
    assert [c.id for c in first.conversations] == made[::-1][:20]
    assert first.conversations[0].title == "rename #1 to Name 44"
    more = s.agent.history(s.sid, offset=20)                    # Show more
    assert [c.id for c in more.conversations] == made[::-1][20:40] and more.has_more
    last = s.agent.history(s.sid, offset=40)
    assert [c.id for c in last.conversations] == made[::-1][40:] and not last.has_more
    assert all(c.created_at > 0 for c in last.conversations)
