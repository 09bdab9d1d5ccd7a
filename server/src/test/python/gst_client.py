"""GStreamer signalling clients, written the way gst-examples' session-client.py and room-client.py talk, run
against Meshgate's /gst over wss:// with the test's self-signed certificate (verified, not skipped).

Usage: gst_client.py <wss url> <cert.pem>. Prints one line per step and GST-OK at the end; exits 1 on the first
surprise, naming it.
"""
import asyncio
import json
import ssl
import sys

import websockets

URL, CERT = sys.argv[1], sys.argv[2]
TIMEOUT = 10


def context():
    tls = ssl.create_default_context(cafile=CERT)
    tls.check_hostname = True
    return tls


async def connect(uid):
    ws = await websockets.connect(URL, ssl=context())
    await ws.send("HELLO " + uid)
    await expect(ws, "HELLO")
    return ws


async def receive(ws):
    return await asyncio.wait_for(ws.recv(), TIMEOUT)


async def expect(ws, wanted):
    got = await receive(ws)
    if got != wanted:
        raise AssertionError("expected %r, got %r" % (wanted, got))
    return got


def sdp(kind, uid):
    return json.dumps({"sdp": {"type": kind, "sdp": "v=0\r\no=%s 1 1 IN IP4 0.0.0.0\r\n" % uid}})


def ice(uid):
    return json.dumps({"ice": {"candidate": "candidate:1 1 UDP 1 10.0.0.1 9 typ host", "sdpMLineIndex": 0,
                               "from": uid}})


async def session():
    callee = await connect("gst-callee")
    caller = await connect("gst-caller")
    await caller.send("SESSION gst-callee")
    await expect(caller, "SESSION_OK")
    await caller.send(sdp("offer", "caller"))
    offer = json.loads(await receive(callee))
    assert offer["sdp"]["type"] == "offer", offer
    await callee.send(sdp("answer", "callee"))
    answer = json.loads(await receive(caller))
    assert answer["sdp"]["type"] == "answer", answer
    await callee.send(ice("callee"))
    candidate = json.loads(await receive(caller))
    assert candidate["ice"]["from"] == "callee", candidate
    print("GST-STEP session offer/answer/ice forwarded", flush=True)
    await caller.close()
    try:
        await receive(callee)
        raise AssertionError("callee got a frame instead of the close")
    except websockets.ConnectionClosed as closed:
        code = closed.code
    assert code == 1000, code
    print("GST-STEP session ended with the caller: callee closed with %d" % code, flush=True)


async def room():
    peers = {}
    for uid in ("gst-r1", "gst-r2", "gst-r3"):
        ws = await connect(uid)
        await ws.send("ROOM gst-room")
        ok = await receive(ws)
        assert ok.startswith("ROOM_OK"), ok
        already = ok.split()[1:]
        assert sorted(already) == sorted(peers), (already, list(peers))
        for other in peers.values():
            await expect(other, "ROOM_PEER_JOINED " + uid)
        # The newly joined peer makes the offers, as the protocol's convention says.
        for other_uid, other in peers.items():
            await ws.send("ROOM_PEER_MSG %s %s" % (other_uid, sdp("offer", uid)))
            got = await receive(other)
            prefix = "ROOM_PEER_MSG %s " % uid
            assert got.startswith(prefix), got
            assert json.loads(got[len(prefix):])["sdp"]["type"] == "offer", got
            await other.send("ROOM_PEER_MSG %s %s" % (uid, sdp("answer", other_uid)))
            answer = await receive(ws)
            assert answer.startswith("ROOM_PEER_MSG %s {" % other_uid), answer
        peers[uid] = ws
    print("GST-STEP room of 3: joins announced, offers and answers delivered by uid", flush=True)
    await peers["gst-r1"].send("ROOM_PEER_LIST")
    listed = (await receive(peers["gst-r1"])).split()
    assert listed[0] == "ROOM_PEER_LIST" and sorted(listed[1:]) == ["gst-r2", "gst-r3"], listed
    await peers["gst-r2"].send("ROOM_PEER_MSG nobody hi")
    await expect(peers["gst-r2"], "ERROR peer 'nobody' not found")
    print("GST-STEP ROOM_PEER_LIST and errors", flush=True)
    await peers.pop("gst-r3").close()
    for ws in peers.values():
        await expect(ws, "ROOM_PEER_LEFT gst-r3")
    print("GST-STEP leave announced", flush=True)
    for ws in peers.values():
        await ws.close()


async def main():
    await session()
    await room()
    print("GST-OK", flush=True)


try:
    asyncio.run(main())
except Exception as failure:  # the test reads the reason from the output
    print("GST-FAIL %s: %s" % (type(failure).__name__, failure), flush=True)
    sys.exit(1)
