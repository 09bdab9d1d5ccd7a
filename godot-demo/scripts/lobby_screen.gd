extends Control
## The demo's screens, built on the Meshgate addon alone: Play (create a lobby, quick play, join by name or by join
## code), Browse (the server's public lobbies, paged; double-click to join) and Find match (a matchmaker ticket with
## its live status). Once in a server-hosted lobby the game the server runs appears: the arena, or noughts and
## crosses, told apart by the server's first message.

const MeshgateNode := preload("res://addons/meshgate/meshgate.gd")
const ArenaView := preload("res://scripts/arena_view.gd")
const TicTacToeView := preload("res://scripts/tictactoe_view.gd")
const TicTacToeState := preload("res://scripts/tictactoe_state.gd")
const GAMES: Array[String] = ["arena", "tictactoe"]

var _meshgate := MeshgateNode.new()
var _view: Node
var _url := LineEdit.new()
var _name := LineEdit.new()
var _game := OptionButton.new()
var _hosting := OptionButton.new()
var _mesh := CheckBox.new()
var _visibility := OptionButton.new()
var _lobby := LineEdit.new()
var _code := LineEdit.new()
var _tabs := TabContainer.new()
var _lobbies := ItemList.new()
var _listed: Array = []
var _next := 0
var _region := LineEdit.new()
var _ticket := -1
var _ticket_status := Label.new()
var _cancel := Button.new()
var _peers := ItemList.new()
var _status := Label.new()
var _seal := Button.new()
var _leave := Button.new()


func _ready() -> void:
	set_anchors_preset(Control.PRESET_FULL_RECT)
	add_child(_meshgate)
	_meshgate.lobby_joined.connect(_on_lobby_joined)
	_meshgate.join_failed.connect(func(reason: String) -> void: _status.text = "Refused: " + reason)
	_meshgate.lobby_left.connect(_on_lobby_left)
	_meshgate.peer_joined.connect(func(id: int) -> void: _peers.add_item("peer %d" % id))
	_meshgate.peer_left.connect(_remove_peer)
	_meshgate.lobby_sealed.connect(func() -> void: _status.text = "Lobby sealed")
	_meshgate.reconnecting.connect(func(attempt: int) -> void:
		_status.text = "Connection lost: reconnecting… (try %d)" % attempt)
	_meshgate.resumed.connect(func(_lobby_name: String, id: int, away_msec: int) -> void:
		_status.text = "Back in the lobby as %d after %.1f s" % [id, away_msec / 1000.0])
	_meshgate.fell_back_to_relay.connect(func(_lobby_name: String) -> void:
		_status.text = "WebRTC did not connect: playing through the server")
	_meshgate.lobbies_listed.connect(_on_lobbies_listed)
	_meshgate.ticket_changed.connect(_on_ticket_changed)
	(multiplayer as SceneMultiplayer).peer_packet.connect(_on_peer_packet)
	# A PanelContainer gives the controls a backdrop of their own, readable over a game drawn behind them.
	var backdrop := PanelContainer.new()
	backdrop.position = Vector2(16, 16)
	add_child(backdrop)
	var panel := VBoxContainer.new()
	panel.custom_minimum_size = Vector2(340, 0)
	backdrop.add_child(panel)
	_url.text = str(_args().get("url", _default_url()))
	_url.placeholder_text = "ws://server:9080/"
	_name.placeholder_text = "your name"
	_url.text_changed.connect(func(_text: String) -> void: _configure())
	_name.text_changed.connect(func(_text: String) -> void: _configure())
	_configure()
	for game in GAMES:
		_game.add_item(game)
	_hosting.add_item("The server hosts its game")
	_hosting.add_item("I host (peer-hosted)")
	_mesh.text = "Mesh (everyone connects to everyone)"
	panel.add_child(_labelled("Server", _url))
	panel.add_child(_labelled("Name", _name))
	panel.add_child(_labelled("Game", _game))
	panel.add_child(_hosting)
	panel.add_child(_mesh)
	panel.add_child(_tabs)
	_tabs.add_child(_play_tab())
	_tabs.add_child(_browse_tab())
	_tabs.add_child(_match_tab())
	_seal.text = "Seal lobby"
	_seal.disabled = true
	_seal.pressed.connect(func() -> void: _meshgate.seal_lobby())
	_leave.text = "Leave"
	_leave.disabled = true
	_leave.pressed.connect(func() -> void: _meshgate.leave())
	var actions := HBoxContainer.new()
	actions.add_child(_seal)
	actions.add_child(_leave)
	panel.add_child(actions)
	_peers.custom_minimum_size = Vector2(0, 60)
	panel.add_child(_peers)
	panel.add_child(_status)
	_status.text = "Not connected"
	var screen := str(_args().get("screen", ""))
	if screen == "browse":
		_tabs.current_tab = 1
		_refresh_lobbies(0)
	elif screen == "match":
		_tabs.current_tab = 2


func _play_tab() -> Control:
	var tab := VBoxContainer.new()
	tab.name = "Play"
	_visibility.add_item("Unlisted: share its name")
	_visibility.add_item("Public: listed in Browse")
	_visibility.add_item("Private: gets a join code")
	tab.add_child(_visibility)
	tab.add_child(_button("Create lobby", _create))
	tab.add_child(_button("Quick play", func() -> void: _attempt(_meshgate.quick_play(_hosting_kind(), _game_name(),
			_mesh.button_pressed))))
	_lobby.placeholder_text = "lobby name"
	tab.add_child(_row(_lobby, _button("Join", func() -> void:
		_attempt(_meshgate.join_lobby(_lobby.text.strip_edges())))))
	_code.placeholder_text = "join code"
	tab.add_child(_row(_code, _button("Join by code", func() -> void:
		_attempt(_meshgate.join_by_code(_code.text)))))
	return tab


func _browse_tab() -> Control:
	var tab := VBoxContainer.new()
	tab.name = "Browse"
	_lobbies.custom_minimum_size = Vector2(0, 110)
	_lobbies.item_activated.connect(func(index: int) -> void:
		_attempt(_meshgate.join_lobby(str(_listed[index].get("name", "")))))
	tab.add_child(_lobbies)
	var paging := HBoxContainer.new()
	paging.add_child(_button("Refresh", func() -> void: _refresh_lobbies(0)))
	paging.add_child(_button("More", func() -> void: _refresh_lobbies(_next)))
	tab.add_child(paging)
	return tab


func _match_tab() -> Control:
	var tab := VBoxContainer.new()
	tab.name = "Find match"
	_region.text = "eu"
	tab.add_child(_labelled("Region", _region))
	tab.add_child(_button("Find match", _find_match))
	_cancel.text = "Cancel"
	_cancel.disabled = true
	_cancel.pressed.connect(func() -> void: _meshgate.cancel_match(_ticket))
	tab.add_child(_cancel)
	_ticket_status.autowrap_mode = TextServer.AUTOWRAP_WORD
	tab.add_child(_ticket_status)
	return tab


func _labelled(text: String, control: Control) -> Control:
	var label := Label.new()
	label.text = text
	label.custom_minimum_size = Vector2(60, 0)
	return _row(label, control, true)


func _row(first: Control, second: Control, second_expands := false) -> Control:
	var row := HBoxContainer.new()
	(second if second_expands else first).size_flags_horizontal = Control.SIZE_EXPAND_FILL
	row.add_child(first)
	row.add_child(second)
	return row


func _button(text: String, action: Callable) -> Button:
	var button := Button.new()
	button.text = text
	button.pressed.connect(action)
	return button


## When served by Meshgate's /play, the page's own host is the server.
func _default_url() -> String:
	if OS.has_feature("web"):
		var host: Variant = JavaScriptBridge.eval("location.host", true)
		if typeof(host) == TYPE_STRING and not host.is_empty():
			return "ws://%s/" % host
	return "ws://127.0.0.1:9080/"


## The page's or command line's "--key value" arguments (main.gd parses them).
func _args() -> Dictionary:
	return get_parent().parse_args(OS.get_cmdline_user_args()) if get_parent().has_method("parse_args") else {}


func _configure() -> void:
	_meshgate.url = _url.text.strip_edges()
	_meshgate.player_name = _name.text.strip_edges()


func _hosting_kind() -> int:
	return MeshgateNode.Hosting.SERVER if _hosting.selected == 0 else MeshgateNode.Hosting.PEER


## The server's game for a server-hosted lobby; a peer-hosted one runs no server game.
func _game_name() -> String:
	return GAMES[_game.selected] if _hosting.selected == 0 else ""


func _create() -> void:
	_attempt(_meshgate.create_lobby(_hosting_kind(), _game_name(), _mesh.button_pressed, _visibility.selected))


func _attempt(err: Error) -> void:
	if err == ERR_ALREADY_IN_USE:
		_status.text = "Leave this lobby first"
	elif err != OK:
		_status.text = "Could not connect: %s" % error_string(err)
	else:
		_status.text = "Connecting..."


func _refresh_lobbies(after: int) -> void:
	_meshgate.list_lobbies("", {}, false, after, 20)


func _on_lobbies_listed(lobbies: Array, next: int, error: String) -> void:
	if not error.is_empty():
		_status.text = error
		return
	_listed = lobbies
	_next = next
	_lobbies.clear()
	var rows: Array[String] = []
	for listed: Dictionary in lobbies:
		var label: Dictionary = listed.get("label", {})
		var row := "%s  %s  %d/%d  %s" % [listed.get("game", "") if listed.get("game", "") != "" else "peer-hosted",
				label.get("state", ""), int(listed.get("players", 0)), int(listed.get("capacity", 0)),
				str(listed.get("name", "")).left(8)]
		_lobbies.add_item(row)
		rows.append("%s:%s:%d/%d" % [listed.get("name", ""), listed.get("game", ""), int(listed.get("players", 0)),
				int(listed.get("capacity", 0))])
	# The screen says in the log what it shows: how end-to-end tests read it, and useful when debugging.
	print("BROWSER|%d|%s" % [lobbies.size(), ",".join(rows)])


func _find_match() -> void:
	var properties := {}
	if not _region.text.strip_edges().is_empty():
		properties["region"] = _region.text.strip_edges()
	var game: String = GAMES[_game.selected] if _hosting.selected == 0 else "demo"
	var players := 2 if game == "tictactoe" else 4
	_ticket = _meshgate.find_match(game, 2, players, properties, 0.0, _hosting_kind(), {"mesh": _mesh.button_pressed})
	_cancel.disabled = _ticket < 0
	_ticket_status.text = "Could not reach the server" if _ticket < 0 else "Asking..."


func _on_ticket_changed(ticket: int, state: String, details: Dictionary) -> void:
	if ticket != _ticket:
		return
	match state:
		"waiting":
			_ticket_status.text = "Waiting: %d players in reach; settles for fewer in %d s" % [
					details.get("players_in_reach", 0), ceili(details.get("settles_in_ms", 0) / 1000.0)]
		"gathering":
			_ticket_status.text = "Party: %d of %d here" % [details.get("party_members", 0),
					details.get("party_size", 0)]
		"matched":
			_ticket_status.text = "Matched: joining"
			_cancel.disabled = true
		_:
			_ticket_status.text = "%s: %s" % [state.capitalize(), details.get("reason", "")]
			_cancel.disabled = true


func _on_lobby_joined(lobby_name: String, id: int, code: String) -> void:
	_lobby.text = lobby_name
	_status.text = "In %s as %d%s" % [lobby_name.left(8), id, "" if code.is_empty() else ", code " + code]
	_seal.disabled = false
	_leave.disabled = false


func _on_lobby_left(reason: String) -> void:
	_status.text = "Left the lobby" if reason.is_empty() else "Lobby ended: " + reason
	_seal.disabled = true
	_leave.disabled = true
	_peers.clear()
	if _view:
		_view.queue_free()
		_view = null


## The server's first message says which game it runs; every later one goes to that game's view.
func _on_peer_packet(id: int, packet: PackedByteArray) -> void:
	if id != 1 or not _meshgate.server_hosted:
		return
	var message: Variant = bytes_to_var(packet)
	if _view == null:
		if TicTacToeState.is_welcome(message):
			var board := TicTacToeView.new()
			board.position = Vector2(400, 40)
			_view = board
		else:
			_view = ArenaView.new()
		add_child(_view)
		move_child(_view, 0) # drawn first, so the panel stays on top
	_view.receive(message)


func _remove_peer(id: int) -> void:
	for i in _peers.item_count:
		if _peers.get_item_text(i) == "peer %d" % id:
			_peers.remove_item(i)
			return
