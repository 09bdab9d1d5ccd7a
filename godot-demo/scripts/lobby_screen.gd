extends Control
## The lobby screen: server address, create a lobby (server- or peer-hosted, mesh or client/server), join one by
## name, or quick play; the peers as they come and go; seal for the host. In a server-hosted lobby the arena shows.

const MultiplayerClient := preload("res://scripts/multiplayer_client.gd")
const ArenaView := preload("res://scripts/arena_view.gd")

var _client: Node
var _arena: Node2D
var _url := LineEdit.new()
var _lobby := LineEdit.new()
var _hosting := OptionButton.new()
var _mesh := CheckBox.new()
var _peers := ItemList.new()
var _status := Label.new()
var _seal := Button.new()
var _leave := Button.new()


func _ready() -> void:
	set_anchors_preset(Control.PRESET_FULL_RECT)
	# A PanelContainer gives the controls a backdrop of their own, readable over the arena drawn behind them.
	var backdrop := PanelContainer.new()
	backdrop.position = Vector2(16, 16)
	add_child(backdrop)
	var panel := VBoxContainer.new()
	panel.custom_minimum_size = Vector2(320, 0)
	backdrop.add_child(panel)
	_url.text = _default_url()
	_url.placeholder_text = "ws://server:9080/"
	_hosting.add_item("The server hosts (play the arena)")
	_hosting.add_item("I host (peer-hosted)")
	_mesh.text = "Mesh (everyone connects to everyone)"
	_lobby.placeholder_text = "lobby name"
	for row in [_labelled("Server", _url), _hosting, _mesh]:
		panel.add_child(row)
	panel.add_child(_button("Create lobby", func() -> void: _join("")))
	panel.add_child(_button("Quick play", func() -> void: _join(MultiplayerClient.QUICK_PLAY)))
	var join_row := HBoxContainer.new()
	_lobby.size_flags_horizontal = Control.SIZE_EXPAND_FILL
	join_row.add_child(_lobby)
	join_row.add_child(_button("Join", func() -> void: _join(_lobby.text.strip_edges())))
	panel.add_child(join_row)
	_seal.text = "Seal lobby"
	_seal.disabled = true
	_seal.pressed.connect(func() -> void: _client.seal_lobby())
	_leave.text = "Leave"
	_leave.disabled = true
	_leave.pressed.connect(_stop)
	panel.add_child(_seal)
	panel.add_child(_leave)
	_peers.custom_minimum_size = Vector2(0, 120)
	panel.add_child(_peers)
	panel.add_child(_status)
	_status.text = "Not connected"


func _labelled(text: String, control: Control) -> Control:
	var row := HBoxContainer.new()
	var label := Label.new()
	label.text = text
	control.size_flags_horizontal = Control.SIZE_EXPAND_FILL
	row.add_child(label)
	row.add_child(control)
	return row


func _button(text: String, action: Callable) -> Button:
	var button := Button.new()
	button.text = text
	button.pressed.connect(action)
	return button


## When served by Meshgate's /play, the page's own host is the server.
func _default_url() -> String:
	if OS.has_feature("web"):
		var host = JavaScriptBridge.eval("location.host", true)
		if typeof(host) == TYPE_STRING and not host.is_empty():
			return "ws://%s/" % host
	return "ws://127.0.0.1:9080/"


func _join(lobby: String) -> void:
	_stop()
	var hosting := "server" if _hosting.selected == 0 else "peer"
	_client = MultiplayerClient.new()
	_client.server_hosted = hosting == "server"
	add_child(_client)
	_client.connected.connect(func(id: int, use_mesh: bool) -> void:
		_status.text = "Joined as %d (%s)" % [id, "mesh" if use_mesh else "client/server"])
	_client.lobby_joined.connect(func(name: String) -> void:
		_lobby.text = name
		_seal.disabled = false
		_leave.disabled = false)
	_client.peer_connected.connect(func(id: int) -> void: _peers.add_item("peer %d" % id))
	_client.peer_disconnected.connect(_remove_peer)
	_client.lobby_sealed.connect(func() -> void: _status.text = "Lobby sealed")
	_client.fell_back_to_relay.connect(func(_lobby_name: String) -> void:
		_status.text = "WebRTC did not connect: playing through the server")
	_client.disconnected.connect(func() -> void:
		if _client.relay_mp == null:
			_status.text = "Disconnected: %d %s" % [_client.close_code, _client.close_reason]
		_seal.disabled = true)
	if hosting == "server":
		_arena = ArenaView.new()
		add_child(_arena)
		move_child(_arena, 0) # drawn first, so the panel stays on top of the arena
	_client.connect_to_url(_url.text.strip_edges(), lobby, MultiplayerClient.join_id(_mesh.button_pressed, hosting))
	_status.text = "Connecting..."


func _remove_peer(id: int) -> void:
	for i in _peers.item_count:
		if _peers.get_item_text(i) == "peer %d" % id:
			_peers.remove_item(i)
			return


func _stop() -> void:
	if _client:
		_client.stop()
		_client.queue_free()
		_client = null
	if _arena:
		_arena.queue_free()
		_arena = null
	_peers.clear()
	_seal.disabled = true
	_leave.disabled = true
