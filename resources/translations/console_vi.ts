<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>CommandLogModel</name>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Thiết bị</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Lệnh</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Tiến trình</translation>
    </message>
    <message>
        <source>{n} attempts</source>
        <translation>gửi {n} lần</translation>
    </message>
</context>
<context>
    <name>CommandPanel</name>
    <message>
        <source>Ping</source>
        <translation>Kiểm tra kết nối</translation>
    </message>
    <message>
        <source>Ask the cluster to answer, to check that it hears commands</source>
        <translation>Yêu cầu cụm loa trả lời, để kiểm tra cụm loa có nhận được lệnh không</translation>
    </message>
    <message>
        <source>Test tone</source>
        <translation>Phát thử</translation>
    </message>
    <message>
        <source>Play a {n} s test tone on the loudspeakers</source>
        <translation>Phát âm thử {n} giây trên loa</translation>
    </message>
    <message>
        <source>Rebirth</source>
        <translation>Gửi lại thông tin</translation>
    </message>
    <message>
        <source>Ask the cluster to announce itself again (refreshes its details)</source>
        <translation>Yêu cầu cụm loa gửi lại thông tin thiết bị (cập nhật phần chi tiết)</translation>
    </message>
    <message>
        <source>Resync</source>
        <translation>Đồng bộ lại</translation>
    </message>
    <message>
        <source>Ask the cluster to fetch its schedule and media again</source>
        <translation>Yêu cầu cụm loa tải lại lịch phát và các tệp âm thanh</translation>
    </message>
    <message>
        <source>Reboot…</source>
        <translation>Khởi động lại…</translation>
    </message>
    <message>
        <source>Restart the cluster; it goes off the air for about a minute</source>
        <translation>Khởi động lại cụm loa; loa ngừng phát khoảng một phút</translation>
    </message>
    <message>
        <source>Set volume</source>
        <translation>Đặt âm lượng</translation>
    </message>
    <message>
        <source>Adopt this cluster</source>
        <translation>Tiếp nhận cụm loa này</translation>
    </message>
    <message>
        <source>Commands sent from this window</source>
        <translation>Lệnh đã gửi từ cửa sổ này</translation>
    </message>
    <message>
        <source>No cluster selected</source>
        <translation>Chưa chọn cụm loa</translation>
    </message>
    <message>
        <source>This cluster is waiting to be adopted: commands are disabled until then.</source>
        <translation>Cụm loa này đang chờ tiếp nhận: chưa thể gửi lệnh cho đến khi được tiếp nhận.</translation>
    </message>
    <message>
        <source>This cluster is waiting to be adopted: adopt it to send commands.</source>
        <translation>Cụm loa này đang chờ tiếp nhận: hãy tiếp nhận để gửi lệnh.</translation>
    </message>
    <message>
        <source>The cluster is not online: commands wait up to {n} s for it, then time out.</source>
        <translation>Cụm loa không trực tuyến: lệnh sẽ chờ tối đa {n} giây rồi hết hạn.</translation>
    </message>
    <message>
        <source>Command not sent</source>
        <translation>Không gửi được lệnh</translation>
    </message>
    <message>
        <source>Reboot cluster</source>
        <translation>Khởi động lại cụm loa</translation>
    </message>
    <message>
        <source>Reboot {name}?

The loudspeakers go silent until it is back, usually about a minute. Anything playing now stops.</source>
        <translation>Khởi động lại {name}?

Loa sẽ im lặng cho đến khi cụm loa hoạt động trở lại, thường khoảng một phút. Nội dung đang phát sẽ bị dừng.</translation>
    </message>
    <message>
        <source>Adoption failed</source>
        <translation>Tiếp nhận không thành công</translation>
    </message>
    <message>
        <source>Cluster {0} could not be adopted:
{1}</source>
        <translation>Không tiếp nhận được cụm loa {0}:
{1}</translation>
    </message>
</context>
<context>
    <name>DemoBanner</name>
    <message>
        <source>DEMO STATION — simulated loudspeakers, embedded broker. Nothing here goes on air.</source>
        <translation>ĐÀI THỬ NGHIỆM (DEMO) — cụm loa mô phỏng, máy chủ MQTT tích hợp. Không có nội dung nào ở đây được phát lên loa thật.</translation>
    </message>
</context>
<context>
    <name>DeviceDetailView</name>
    <message>
        <source>Identity</source>
        <translation>Định danh</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Vị trí</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Kết nối</translation>
    </message>
    <message>
        <source>Telemetry</source>
        <translation>Thông số vận hành</translation>
    </message>
    <message>
        <source>Faults</source>
        <translation>Lỗi</translation>
    </message>
    <message>
        <source>Recent events</source>
        <translation>Sự kiện gần đây</translation>
    </message>
    <message>
        <source>Device ID</source>
        <translation>Mã thiết bị</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Kiểu máy</translation>
    </message>
    <message>
        <source>Firmware</source>
        <translation>Firmware</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>Phiên kết nối</translation>
    </message>
    <message>
        <source>Adoption</source>
        <translation>Tiếp nhận</translation>
    </message>
    <message>
        <source>Commune/Ward</source>
        <translation>Xã/Phường</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>Nhóm</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Lần cuối thấy</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Mạng</translation>
    </message>
    <message>
        <source>Signal strength</source>
        <translation>Cường độ tín hiệu</translation>
    </message>
    <message>
        <source>Playing</source>
        <translation>Đang phát</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Nhiệt độ</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>Âm lượng</translation>
    </message>
    <message>
        <source>Power</source>
        <translation>Nguồn điện</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>Thời gian hoạt động</translation>
    </message>
    <message>
        <source>Output level</source>
        <translation>Mức âm ra</translation>
    </message>
    <message>
        <source>Amplifier</source>
        <translation>Âm ly</translation>
    </message>
    <message>
        <source>Clock offset</source>
        <translation>Lệch đồng hồ</translation>
    </message>
    <message>
        <source>Media cache</source>
        <translation>Tệp âm thanh đã tải</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Sự kiện</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Chi tiết</translation>
    </message>
    <message>
        <source>No cluster selected</source>
        <translation>Chưa chọn cụm loa</translation>
    </message>
    <message>
        <source>Select a loudspeaker cluster in the table to see its details.</source>
        <translation>Chọn một cụm loa trong bảng để xem chi tiết.</translation>
    </message>
    <message>
        <source>Adopted</source>
        <translation>Đã tiếp nhận</translation>
    </message>
    <message>
        <source>Pending: waiting to be adopted</source>
        <translation>Chờ tiếp nhận</translation>
    </message>
    <message>
        <source>very weak</source>
        <translation>rất yếu</translation>
    </message>
    <message>
        <source>weak</source>
        <translation>yếu</translation>
    </message>
    <message>
        <source>good</source>
        <translation>tốt</translation>
    </message>
    <message>
        <source>fair</source>
        <translation>trung bình</translation>
    </message>
    <message>
        <source>excellent</source>
        <translation>rất tốt</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>Không phát</translation>
    </message>
    <message>
        <source>{ready} files ready, {missing} missing</source>
        <translation>{ready} tệp sẵn sàng, thiếu {missing} tệp</translation>
    </message>
    <message>
        <source>never</source>
        <translation>chưa bao giờ</translation>
    </message>
    <message>
        <source>Online since {time}</source>
        <translation>Trực tuyến từ {time}</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <source>Nothing heard from this device yet</source>
        <translation>Chưa nhận được tín hiệu nào từ thiết bị này</translation>
    </message>
    <message>
        <source>The broker notices a lost connection up to {n} s late (1.5 × keep-alive + will delay): the cluster may have gone silent before this time.</source>
        <translation>Máy chủ MQTT có thể phát hiện mất kết nối chậm tới {n} giây (1,5 × keep-alive + độ trễ bản tin will): cụm loa có thể đã mất liên lạc trước thời điểm này.</translation>
    </message>
    <message>
        <source>Waiting to be adopted: it receives no commands until then.</source>
        <translation>Đang chờ tiếp nhận: cụm loa chưa nhận lệnh nào cho đến khi được tiếp nhận.</translation>
    </message>
    <message>
        <source>hot</source>
        <translation>nóng</translation>
    </message>
    <message>
        <source>more than 2 s: scheduled playback will be off time</source>
        <translation>lệch quá 2 giây: phát theo lịch sẽ sai giờ</translation>
    </message>
    <message>
        <source>No faults</source>
        <translation>Không có lỗi</translation>
    </message>
</context>
<context>
    <name>DeviceFilterProxy</name>
    <message>
        <source>All statuses</source>
        <translation>Mọi trạng thái</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Ngoại tuyến</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Chờ tiếp nhận</translation>
    </message>
    <message>
        <source>Faulty</source>
        <translation>Có lỗi</translation>
    </message>
</context>
<context>
    <name>DeviceListView</name>
    <message>
        <source>Columns</source>
        <translation>Cột</translation>
    </message>
</context>
<context>
    <name>DeviceTableModel</name>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Device ID</source>
        <translation>Mã thiết bị</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Commune/Ward</source>
        <translation>Xã/Phường</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>Nhóm</translation>
    </message>
    <message>
        <source>Signal</source>
        <translation>Tín hiệu</translation>
    </message>
    <message>
        <source>Temp.</source>
        <translation>Nhiệt độ</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>Âm lượng</translation>
    </message>
    <message>
        <source>Playing</source>
        <translation>Đang phát</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Lần cuối thấy</translation>
    </message>
    <message>
        <source>Firmware</source>
        <translation>Firmware</translation>
    </message>
    <message>
        <source>Faults</source>
        <translation>Lỗi</translation>
    </message>
    <message>
        <source>4G signal strength (RSSI, dBm)</source>
        <translation>Cường độ tín hiệu 4G (RSSI, dBm)</translation>
    </message>
    <message>
        <source>Temperature inside the cabinet</source>
        <translation>Nhiệt độ bên trong tủ thiết bị</translation>
    </message>
    <message>
        <source>When the console last heard from the device</source>
        <translation>Lần cuối phần mềm nhận được tín hiệu từ thiết bị</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Chờ tiếp nhận</translation>
    </message>
    <message>
        <source>never</source>
        <translation>chưa bao giờ</translation>
    </message>
    <message>
        <source>Online since {time} (session {session})</source>
        <translation>Trực tuyến từ {time} (phiên {session})</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <source>Nothing heard from this device yet</source>
        <translation>Chưa nhận được tín hiệu nào từ thiết bị này</translation>
    </message>
    <message>
        <source>Pending: waiting to be adopted; it receives no commands until then.</source>
        <translation>Chờ tiếp nhận: thiết bị chưa nhận lệnh cho đến khi được tiếp nhận.</translation>
    </message>
    <message>
        <source>Offline ({reason})</source>
        <translation>Ngoại tuyến ({reason})</translation>
    </message>
    <message>
        <source>Offline since {time} ({reason})</source>
        <translation>Ngoại tuyến từ {time} ({reason})</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Search ID, name, commune… (accents optional)</source>
        <translation>Tìm mã, tên, xã/phường… (gõ có dấu hoặc không dấu)</translation>
    </message>
    <message>
        <source>Show only clusters in this state</source>
        <translation>Chỉ hiện các cụm loa ở trạng thái này</translation>
    </message>
    <message>
        <source>All communes/wards</source>
        <translation>Mọi xã/phường</translation>
    </message>
    <message>
        <source>All groups</source>
        <translation>Mọi nhóm</translation>
    </message>
    <message>
        <source>{shown} of {total} clusters</source>
        <translation>{shown}/{total} cụm loa</translation>
    </message>
</context>
<context>
    <name>FleetStatusBar</name>
    <message>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Ngoại tuyến</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Chờ tiếp nhận</translation>
    </message>
    <message>
        <source>Faulty</source>
        <translation>Có lỗi</translation>
    </message>
    <message>
        <source>Total: &lt;b&gt;{n}&lt;/b&gt;</source>
        <translation>Tổng: &lt;b&gt;{n}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>{n} clusters not heard from yet</source>
        <translation>{n} cụm loa chưa kết nối lần nào</translation>
    </message>
    <message>
        <source>Broker connected</source>
        <translation>Đã kết nối máy chủ MQTT</translation>
    </message>
    <message>
        <source>Broker disconnected</source>
        <translation>Mất kết nối máy chủ MQTT</translation>
    </message>
    <message>
        <source>Rejected messages: {n}</source>
        <translation>Gói tin bị loại: {n}</translation>
    </message>
    <message>
        <source>No malformed messages received</source>
        <translation>Không có gói tin sai định dạng</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Ngoại tuyến</translation>
    </message>
    <message>
        <source>Not heard yet</source>
        <translation>Chưa kết nối</translation>
    </message>
    <message>
        <source>connection lost</source>
        <translation>mất kết nối</translation>
    </message>
    <message>
        <source>shut down</source>
        <translation>tắt máy</translation>
    </message>
    <message>
        <source>rebooting</source>
        <translation>đang khởi động lại</translation>
    </message>
    <message>
        <source>Amplifier</source>
        <translation>Âm ly</translation>
    </message>
    <message>
        <source>Speaker line</source>
        <translation>Đường dây loa</translation>
    </message>
    <message>
        <source>Power</source>
        <translation>Nguồn điện</translation>
    </message>
    <message>
        <source>Storage</source>
        <translation>Bộ nhớ</translation>
    </message>
    <message>
        <source>Clock</source>
        <translation>Đồng hồ</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Khác</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Thông thường</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Ưu tiên</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Trực tiếp</translation>
    </message>
    <message>
        <source>Emergency</source>
        <translation>Khẩn cấp</translation>
    </message>
    <message>
        <source>Mains</source>
        <translation>Điện lưới</translation>
    </message>
    <message>
        <source>Battery</source>
        <translation>Ắc quy</translation>
    </message>
    <message>
        <source>Solar</source>
        <translation>Năng lượng mặt trời</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Bình thường</translation>
    </message>
    <message>
        <source>Fault</source>
        <translation>Lỗi</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Tắt</translation>
    </message>
    <message>
        <source>Playback started</source>
        <translation>Bắt đầu phát</translation>
    </message>
    <message>
        <source>Playback finished</source>
        <translation>Phát xong</translation>
    </message>
    <message>
        <source>Playback failed</source>
        <translation>Phát không thành công</translation>
    </message>
    <message>
        <source>Preempted by a higher priority</source>
        <translation>Bị ngắt bởi nội dung ưu tiên hơn</translation>
    </message>
    <message>
        <source>Media downloaded</source>
        <translation>Đã tải tệp âm thanh</translation>
    </message>
    <message>
        <source>Media download failed</source>
        <translation>Tải tệp âm thanh thất bại</translation>
    </message>
    <message>
        <source>Fault raised</source>
        <translation>Phát sinh lỗi</translation>
    </message>
    <message>
        <source>Fault cleared</source>
        <translation>Đã hết lỗi</translation>
    </message>
    <message>
        <source>Joined live broadcast</source>
        <translation>Tham gia phát trực tiếp</translation>
    </message>
    <message>
        <source>Left live broadcast</source>
        <translation>Rời phát trực tiếp</translation>
    </message>
    <message>
        <source>Came online</source>
        <translation>Đã kết nối</translation>
    </message>
    <message>
        <source>Went offline</source>
        <translation>Mất kết nối</translation>
    </message>
    <message>
        <source>Ping</source>
        <translation>Kiểm tra kết nối</translation>
    </message>
    <message>
        <source>Set volume</source>
        <translation>Đặt âm lượng</translation>
    </message>
    <message>
        <source>Test tone</source>
        <translation>Phát thử</translation>
    </message>
    <message>
        <source>Reboot</source>
        <translation>Khởi động lại</translation>
    </message>
    <message>
        <source>Resync</source>
        <translation>Đồng bộ lại</translation>
    </message>
    <message>
        <source>Rebirth</source>
        <translation>Gửi lại thông tin</translation>
    </message>
    <message>
        <source>Play now</source>
        <translation>Phát ngay</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Dừng</translation>
    </message>
    <message>
        <source>Upload logs</source>
        <translation>Tải nhật ký lên</translation>
    </message>
    <message>
        <source>sending</source>
        <translation>đang gửi</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>đã gửi</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>đã nhận</translation>
    </message>
    <message>
        <source>done</source>
        <translation>xong</translation>
    </message>
    <message>
        <source>error</source>
        <translation>lỗi</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>hết thời gian chờ</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>bị từ chối</translation>
    </message>
    <message>
        <source>unknown or malformed topic</source>
        <translation>chủ đề (topic) sai hoặc không xác định</translation>
    </message>
    <message>
        <source>not valid JSON</source>
        <translation>không phải JSON hợp lệ</translation>
    </message>
    <message>
        <source>fields missing or out of range</source>
        <translation>thiếu trường hoặc giá trị ngoài phạm vi</translation>
    </message>
    <message>
        <source>unsupported protocol version</source>
        <translation>phiên bản giao thức không được hỗ trợ</translation>
    </message>
    <message>
        <source>queue overflow</source>
        <translation>tràn hàng đợi</translation>
    </message>
    <message>
        <source>{n} s ago</source>
        <translation>{n} giây trước</translation>
    </message>
    <message>
        <source>{n} min ago</source>
        <translation>{n} phút trước</translation>
    </message>
    <message>
        <source>{n} h ago</source>
        <translation>{n} giờ trước</translation>
    </message>
    <message>
        <source>{n} days ago</source>
        <translation>{n} ngày trước</translation>
    </message>
    <message>
        <source>{s} s</source>
        <translation>{s} giây</translation>
    </message>
    <message>
        <source>{m} min</source>
        <translation>{m} phút</translation>
    </message>
    <message>
        <source>{h} h {m} min</source>
        <translation>{h} giờ {m} phút</translation>
    </message>
    <message>
        <source>{d} days {h} h</source>
        <translation>{d} ngày {h} giờ</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>{site} — Loudspeaker operations console</source>
        <translation>{site} — Điều hành cụm loa truyền thanh</translation>
    </message>
    <message>
        <source>Cluster details</source>
        <translation>Chi tiết cụm loa</translation>
    </message>
    <message>
        <source>Remote commands</source>
        <translation>Lệnh điều khiển từ xa</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Hiển thị</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>MQTT broker URL (mqtt://host:1883 or mqtts://host:8883); empty starts the demo station</source>
        <translation>Địa chỉ máy chủ MQTT (mqtt://host:1883 hoặc mqtts://host:8883); để trống sẽ chạy đài thử nghiệm (demo)</translation>
    </message>
    <message>
        <source>Broker user name</source>
        <translation>Tên đăng nhập máy chủ MQTT</translation>
    </message>
    <message>
        <source>Broker password</source>
        <translation>Mật khẩu máy chủ MQTT</translation>
    </message>
    <message>
        <source>CA certificate for TLS (empty: system store)</source>
        <translation>Chứng chỉ CA cho TLS (để trống: dùng kho chứng chỉ của hệ thống)</translation>
    </message>
    <message>
        <source>Client certificate for TLS</source>
        <translation>Chứng chỉ máy khách cho TLS</translation>
    </message>
    <message>
        <source>Client key for TLS</source>
        <translation>Khóa máy khách cho TLS</translation>
    </message>
    <message>
        <source>Skip TLS host name verification (testing only)</source>
        <translation>Bỏ qua kiểm tra tên máy chủ TLS (chỉ dùng khi thử nghiệm)</translation>
    </message>
    <message>
        <source>Station (site) id, the root of its MQTT topics</source>
        <translation>Mã đài (site), gốc của các chủ đề MQTT của đài</translation>
    </message>
    <message>
        <source>Database URL (empty: SQLite in the data directory)</source>
        <translation>Địa chỉ cơ sở dữ liệu (để trống: SQLite trong thư mục dữ liệu)</translation>
    </message>
    <message>
        <source>Data directory</source>
        <translation>Thư mục dữ liệu</translation>
    </message>
    <message>
        <source>User interface language (vi, en)</source>
        <translation>Ngôn ngữ giao diện (vi, en)</translation>
    </message>
    <message>
        <source>Number of simulated clusters in the demo station</source>
        <translation>Số cụm loa mô phỏng trong đài thử nghiệm</translation>
    </message>
    <message>
        <source>Random seed of the demo fleet</source>
        <translation>Hạt giống ngẫu nhiên của hệ thống loa thử nghiệm</translation>
    </message>
    <message>
        <source>User name recorded in the history (empty: the login name)</source>
        <translation>Tên người dùng ghi vào lịch sử (để trống: tên đăng nhập máy)</translation>
    </message>
    <message>
        <source>Role of the local user (editor, approver, technician, admin)</source>
        <translation>Vai trò của người dùng (biên tập viên, người duyệt, kỹ thuật viên, quản trị)</translation>
    </message>
    <message>
        <source>Distribution format (mp3 or opus)</source>
        <translation>Định dạng phân phối (mp3 hoặc opus)</translation>
    </message>
    <message>
        <source>Distribution bit rate, kbit/s</source>
        <translation>Tốc độ bit phân phối, kbit/s</translation>
    </message>
    <message>
        <source>Loudness target, LUFS integrated (EBU R128)</source>
        <translation>Mức âm lượng chuẩn, LUFS tích hợp (EBU R128)</translation>
    </message>
    <message>
        <source>True-peak ceiling, dBTP</source>
        <translation>Ngưỡng đỉnh thực, dBTP</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <source>Starting the station…</source>
        <translation>Đang khởi động đài…</translation>
    </message>
    <message>
        <source>Station console</source>
        <translation>Bàn điều khiển đài truyền thanh</translation>
    </message>
    <message>
        <source>The station could not start:
{0}</source>
        <translation>Không khởi động được đài:
{0}</translation>
    </message>
</context>
</TS>
