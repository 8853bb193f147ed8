<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>AlarmBadge</name>
    <message>
        <source>No alarms</source>
        <translation>Không có cảnh báo</translation>
    </message>
    <message>
        <source>{n} alarms</source>
        <translation>{n} cảnh báo</translation>
    </message>
    <message>
        <source>{n} new</source>
        <translation>{n} mới</translation>
    </message>
    <message>
        <source>Open alarms: {major} major, {minor} minor, {acked} acknowledged. Click to see them.</source>
        <translation>Cảnh báo chưa xử lý: {major} nghiêm trọng, {minor} nhẹ, {acked} đã xác nhận. Bấm để xem.</translation>
    </message>
</context>
<context>
    <name>AlarmNotifier</name>
    <message>
        <source>{n} new alarm(s)</source>
        <translation>{n} cảnh báo mới</translation>
    </message>
    <message>
        <source>… and {n} more</source>
        <translation>… và {n} cảnh báo khác</translation>
    </message>
</context>
<context>
    <name>AlarmTableModel</name>
    <message>
        <source>Raised</source>
        <translation>Phát sinh</translation>
    </message>
    <message>
        <source>Cluster</source>
        <translation>Cụm loa</translation>
    </message>
    <message>
        <source>Commune/Ward</source>
        <translation>Xã/Phường</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Handled</source>
        <translation>Người xử lý</translation>
    </message>
</context>
<context>
    <name>AlarmsView</name>
    <message>
        <source>{n} alarms: {new} new, {acked} acknowledged, {resolved} resolved</source>
        <translation>{n} cảnh báo: {new} mới, {acked} đã xác nhận, {resolved} đã xử lý</translation>
    </message>
    <message>
        <source>{n} alarms selected</source>
        <translation>Đã chọn {n} cảnh báo</translation>
    </message>
    <message>
        <source>Select an alarm to see it in full, acknowledge or resolve it.</source>
        <translation>Chọn một cảnh báo để xem đầy đủ, xác nhận hoặc đánh dấu đã xử lý.</translation>
    </message>
    <message>
        <source>Raised {time} · {severity} · {state}</source>
        <translation>Phát sinh {time} · {severity} · {state}</translation>
    </message>
    <message>
        <source>{n} alarm(s) acknowledged.</source>
        <translation>Đã xác nhận {n} cảnh báo.</translation>
    </message>
    <message>
        <source>{n} alarm(s) resolved.</source>
        <translation>Đã xử lý {n} cảnh báo.</translation>
    </message>
    <message>
        <source>Not changed: {why}</source>
        <translation>Không thay đổi: {why}</translation>
    </message>
    <message>
        <source>The alarms could not be changed: {error}</source>
        <translation>Không thay đổi được cảnh báo: {error}</translation>
    </message>
    <message>
        <source>Open alarms</source>
        <translation>Cảnh báo chưa xử lý</translation>
    </message>
    <message>
        <source>Raised in the last 24 h</source>
        <translation>Phát sinh trong 24 giờ qua</translation>
    </message>
    <message>
        <source>Raised in the last 7 days</source>
        <translation>Phát sinh trong 7 ngày qua</translation>
    </message>
    <message>
        <source>Raised in the last 30 days</source>
        <translation>Phát sinh trong 30 ngày qua</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>Ghi chú:</translation>
    </message>
    <message>
        <source>What was found or done, who is going (saved with your name: {user})</source>
        <translation>Đã phát hiện hoặc làm gì, ai sẽ đi xử lý (lưu kèm tên bạn: {user})</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Xác nhận</translation>
    </message>
    <message>
        <source>I have seen it and someone is on it</source>
        <translation>Tôi đã thấy và đã có người xử lý</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>Đã xử lý</translation>
    </message>
    <message>
        <source>Close it by hand; it is raised again only after its condition has cleared once</source>
        <translation>Đóng thủ công; cảnh báo chỉ phát sinh lại sau khi tình trạng đã hết ít nhất một lần</translation>
    </message>
    <message>
        <source>Sound and desktop notification for new alarms</source>
        <translation>Âm báo và thông báo trên màn hình khi có cảnh báo mới</translation>
    </message>
</context>
<context>
    <name>AsRunModel</name>
    <message>
        <source>Air time</source>
        <translation>Giờ phát</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Lịch phát</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>Phần</translation>
    </message>
    <message>
        <source>Cluster</source>
        <translation>Cụm loa</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Played</source>
        <translation>Đã phát</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
</context>
<context>
    <name>AsRunView</name>
    <message>
        <source>From this day</source>
        <translation>Từ ngày này</translation>
    </message>
    <message>
        <source>To this day (included)</source>
        <translation>Đến hết ngày này</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Mọi trạng thái</translation>
    </message>
    <message>
        <source>Search cluster id…</source>
        <translation>Tìm mã cụm loa…</translation>
    </message>
    <message>
        <source>All schedules</source>
        <translation>Mọi lịch phát</translation>
    </message>
    <message>
        <source>Could not read the as-run records: {reason}</source>
        <translation>Không đọc được nhật ký phát: {reason}</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>Đang đọc…</translation>
    </message>
    <message>
        <source>{n} record(s) in all, {shown} shown</source>
        <translation>Tổng cộng {n} bản ghi, đang hiện {shown}</translation>
    </message>
</context>
<context>
    <name>AvailabilityView</name>
    <message>
        <source>No commune</source>
        <translation>Không có xã</translation>
    </message>
    <message>
        <source>{n} rows; all together {pct}. The chart shows the worst {k}.</source>
        <translation>{n} dòng; tính chung {pct}. Biểu đồ hiện {k} dòng kém nhất.</translation>
    </message>
    <message>
        <source>Availability by</source>
        <translation>Tỷ lệ hoạt động theo</translation>
    </message>
    <message>
        <source>commune/ward</source>
        <translation>xã/phường</translation>
    </message>
    <message>
        <source>group</source>
        <translation>nhóm</translation>
    </message>
    <message>
        <source>over the last</source>
        <translation>trong</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>Clusters</source>
        <translation>Cụm loa</translation>
    </message>
    <message>
        <source>Availability</source>
        <translation>Tỷ lệ hoạt động</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <source>Watched</source>
        <translation>Thời gian theo dõi</translation>
    </message>
    <message>
        <source>Availability (%), worst first; dashed: {pct} %</source>
        <translation>Tỷ lệ hoạt động (%), kém nhất trước; nét đứt: {pct} %</translation>
    </message>
</context>
<context>
    <name>BulletinBanner</name>
    <message>
        <source>Review and confirm…</source>
        <translation>Xem và xác nhận…</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Xem</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Đóng thông báo</translation>
    </message>
    <message>
        <source>EMERGENCY BULLETIN FROM THE PROVINCE awaits your confirmation: “{title}” — {where}</source>
        <translation>BẢN TIN KHẨN CẤP CỦA TỈNH đang chờ bạn xác nhận: “{title}” — {where}</translation>
    </message>
    <message>
        <source>({n} clusters)</source>
        <translation>({n} cụm loa)</translation>
    </message>
    <message>
        <source>and {n} more</source>
        <translation>và {n} bản tin khác</translation>
    </message>
</context>
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
        <source>Upload logs</source>
        <translation>Tải nhật ký lên</translation>
    </message>
    <message>
        <source>Ask the cluster to upload its logs to the station</source>
        <translation>Yêu cầu cụm loa tải nhật ký lên đài</translation>
    </message>
    <message>
        <source>No server to upload logs to: the station has no media server</source>
        <translation>Không có máy chủ để tải nhật ký lên: đài không có máy chủ tệp âm thanh</translation>
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
        <source>Ping {device}: waiting for the answer…</source>
        <translation>Kiểm tra kết nối {device}: đang chờ trả lời…</translation>
    </message>
    <message>
        <source>Logs of {device}: waiting for the upload…</source>
        <translation>Nhật ký của {device}: đang chờ tải lên…</translation>
    </message>
    <message>
        <source>Logs of {device} saved in {folder}</source>
        <translation>Đã lưu nhật ký của {device} vào {folder}</translation>
    </message>
    <message>
        <source>Logs of {device} not uploaded ({status})</source>
        <translation>Không tải lên được nhật ký của {device} ({status})</translation>
    </message>
    <message>
        <source>Ping {device}: {ms} ms round trip</source>
        <translation>Kiểm tra kết nối {device}: khứ hồi {ms} ms</translation>
    </message>
    <message>
        <source>Ping {device}: no answer ({status})</source>
        <translation>Kiểm tra kết nối {device}: không trả lời ({status})</translation>
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
        <source>Health</source>
        <translation>Tình trạng</translation>
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
        <source>Coordinates</source>
        <translation>Tọa độ</translation>
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
        <source>IP address</source>
        <translation>Địa chỉ IP</translation>
    </message>
    <message>
        <source>Availability</source>
        <translation>Tỷ lệ hoạt động</translation>
    </message>
    <message>
        <source>Open alarms</source>
        <translation>Cảnh báo chưa xử lý</translation>
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
        <source>Live latency</source>
        <translation>Độ trễ phát trực tiếp</translation>
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
        <source>none: shown at its commune&apos;s centre</source>
        <translation>chưa có: hiển thị tại trung tâm xã</translation>
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
        <source>{state} since {time}</source>
        <translation>{state} từ {time}</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Không có</translation>
    </message>
    <message>
        <source>{ms} ms (last live announcement)</source>
        <translation>{ms} ms (lần phát trực tiếp gần nhất)</translation>
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
    <name>DeviceGraphs</name>
    <message>
        <source>Select a loudspeaker cluster to see its history.</source>
        <translation>Chọn một cụm loa để xem lịch sử hoạt động.</translation>
    </message>
    <message>
        <source>History of {name}</source>
        <translation>Lịch sử hoạt động của {name}</translation>
    </message>
    <message>
        <source>Online (green) / offline (red), and events: ▲ trouble, ▼ cleared, ● playback</source>
        <translation>Trực tuyến (xanh lá) / ngoại tuyến (đỏ), và sự kiện: ▲ sự cố, ▼ hết sự cố, ● phát</translation>
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
    <name>EditorDemo</name>
    <message>
        <source>News</source>
        <translation>Bản tin</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>Thông báo</translation>
    </message>
</context>
<context>
    <name>EditorWidget</name>
    <message>
        <source>Undo</source>
        <translation>Hoàn tác</translation>
    </message>
    <message>
        <source>Undo the last edit</source>
        <translation>Hoàn tác thao tác vừa làm</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Làm lại</translation>
    </message>
    <message>
        <source>Redo the edit just undone</source>
        <translation>Làm lại thao tác vừa hoàn tác</translation>
    </message>
    <message>
        <source>Cut</source>
        <translation>Cắt</translation>
    </message>
    <message>
        <source>Remove the selection and keep it for pasting</source>
        <translation>Cắt đoạn đã chọn ra, giữ lại để dán</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Sao chép</translation>
    </message>
    <message>
        <source>Keep a copy of the selection for pasting</source>
        <translation>Sao chép đoạn đã chọn để dán</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>Dán</translation>
    </message>
    <message>
        <source>Insert what was cut or copied at the cursor (replaces the selection)</source>
        <translation>Dán đoạn đã cắt hoặc sao chép vào vị trí con trỏ (thay cho đoạn đang chọn)</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xoá</translation>
    </message>
    <message>
        <source>Remove the selection, or the chosen marker</source>
        <translation>Xoá đoạn đã chọn, hoặc mốc đang chọn</translation>
    </message>
    <message>
        <source>Keep selection</source>
        <translation>Giữ đoạn chọn</translation>
    </message>
    <message>
        <source>Keep only the selection; remove the rest</source>
        <translation>Chỉ giữ lại đoạn đã chọn, bỏ phần còn lại</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>Tách</translation>
    </message>
    <message>
        <source>Split the sound at the cursor (for later edits)</source>
        <translation>Tách âm thanh tại con trỏ (để biên tập từng phần)</translation>
    </message>
    <message>
        <source>Marker</source>
        <translation>Đặt mốc</translation>
    </message>
    <message>
        <source>Add a marker at the cursor</source>
        <translation>Đặt mốc tại vị trí con trỏ</translation>
    </message>
    <message>
        <source>Remove marker</source>
        <translation>Xoá mốc</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Phóng to</translation>
    </message>
    <message>
        <source>Zoom in (mouse wheel); down to single samples</source>
        <translation>Phóng to (lăn chuột), tới từng mẫu âm thanh</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Thu nhỏ</translation>
    </message>
    <message>
        <source>Zoom out (mouse wheel)</source>
        <translation>Thu nhỏ (lăn chuột)</translation>
    </message>
    <message>
        <source>Zoom to selection</source>
        <translation>Xem đoạn chọn</translation>
    </message>
    <message>
        <source>Show the selection across the view</source>
        <translation>Phóng đoạn đã chọn ra vừa khung</translation>
    </message>
    <message>
        <source>Whole item</source>
        <translation>Xem cả bài</translation>
    </message>
    <message>
        <source>Show the whole item</source>
        <translation>Hiện toàn bộ bài</translation>
    </message>
    <message>
        <source>To start</source>
        <translation>Về đầu</translation>
    </message>
    <message>
        <source>Cursor to the start</source>
        <translation>Đưa con trỏ về đầu bài</translation>
    </message>
    <message>
        <source>To end</source>
        <translation>Về cuối</translation>
    </message>
    <message>
        <source>Cursor to the end</source>
        <translation>Đưa con trỏ về cuối bài</translation>
    </message>
    <message>
        <source>Save revision</source>
        <translation>Lưu bản sửa</translation>
    </message>
    <message>
        <source>Save the edits as a new revision; the original recording stays as it was</source>
        <translation>Lưu các chỉnh sửa thành một bản mới; bản ghi gốc được giữ nguyên</translation>
    </message>
    <message>
        <source>Prepend item…</source>
        <translation>Ghép bài vào đầu…</translation>
    </message>
    <message>
        <source>Put another library item (an intro chime, a jingle) before this one</source>
        <translation>Ghép một bài khác trong thư viện (nhạc chuông mở đầu, nhạc hiệu) vào trước bài này</translation>
    </message>
    <message>
        <source>Append item…</source>
        <translation>Ghép bài vào cuối…</translation>
    </message>
    <message>
        <source>Put another library item (a jingle, a sign-off) after this one</source>
        <translation>Ghép một bài khác trong thư viện (nhạc hiệu, lời chào kết thúc) vào sau bài này</translation>
    </message>
    <message>
        <source>Selection</source>
        <translation>Đoạn chọn</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Cả bài</translation>
    </message>
    <message>
        <source>Add item</source>
        <translation>Ghép bài</translation>
    </message>
    <message>
        <source>Put another library item before or after this one</source>
        <translation>Ghép một bài khác trong thư viện vào trước hoặc sau bài này</translation>
    </message>
    <message>
        <source>Insert silence</source>
        <translation>Chèn khoảng lặng</translation>
    </message>
    <message>
        <source>Add marker</source>
        <translation>Đặt mốc</translation>
    </message>
    <message>
        <source>Change volume</source>
        <translation>Chỉnh âm lượng</translation>
    </message>
    <message>
        <source>Normalise loudness</source>
        <translation>Chuẩn hoá độ to</translation>
    </message>
    <message>
        <source>Trim silence</source>
        <translation>Cắt khoảng lặng</translation>
    </message>
    <message>
        <source>Add at the start</source>
        <translation>Thêm vào đầu</translation>
    </message>
    <message>
        <source>Add at the end</source>
        <translation>Thêm vào cuối</translation>
    </message>
    <message>
        <source>Fade out</source>
        <translation>Nhỏ dần ở cuối</translation>
    </message>
    <message>
        <source>Fade in</source>
        <translation>To dần ở đầu</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Tạm dừng</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Nghe thử</translation>
    </message>
    <message>
        <source>Play from the playhead, or pause (Space)</source>
        <translation>Nghe từ vạch phát, hoặc tạm dừng (phím cách)</translation>
    </message>
    <message>
        <source>Cursor {time}</source>
        <translation>Con trỏ {time}</translation>
    </message>
    <message>
        <source>Selection {start} – {end} ({length})</source>
        <translation>Đoạn chọn {start} – {end} ({length})</translation>
    </message>
    <message>
        <source>No selection</source>
        <translation>Chưa chọn đoạn nào</translation>
    </message>
    <message>
        <source>Length {time}</source>
        <translation>Độ dài {time}</translation>
    </message>
</context>
<context>
    <name>EmergencyDialog</name>
    <message>
        <source>Emergency broadcast</source>
        <translation>Phát khẩn cấp</translation>
    </message>
    <message>
        <source>EMERGENCY BROADCAST</source>
        <translation>PHÁT KHẨN CẤP</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Nội dung phát</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Nơi phát</translation>
    </message>
    <message>
        <source>A prepared message</source>
        <translation>Bản tin soạn sẵn</translation>
    </message>
    <message>
        <source>Live from the microphone</source>
        <translation>Phát trực tiếp từ micrô</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Chọn…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Next: check what it interrupts</source>
        <translation>Tiếp: kiểm tra nội dung sẽ bị ngắt</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <source>Start the emergency broadcast</source>
        <translation>Bắt đầu phát khẩn cấp</translation>
    </message>
    <message>
        <source>Emergency stop</source>
        <translation>Dừng phát khẩn cấp</translation>
    </message>
    <message>
        <source>clusters playing it</source>
        <translation>cụm loa đang phát</translation>
    </message>
    <message>
        <source>clusters not responded</source>
        <translation>cụm loa chưa phản hồi</translation>
    </message>
    <message>
        <source>elapsed</source>
        <translation>đã phát</translation>
    </message>
    <message>
        <source>left</source>
        <translation>còn lại</translation>
    </message>
    <message>
        <source>You cannot start an emergency broadcast</source>
        <translation>Bạn không thể bắt đầu phát khẩn cấp</translation>
    </message>
    <message>
        <source>Ask a user whose role allows emergency broadcasts (an approver or an administrator).</source>
        <translation>Hãy nhờ người dùng có vai trò được phép phát khẩn cấp (người duyệt hoặc quản trị viên).</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>No message chosen</source>
        <translation>Chưa chọn bản tin</translation>
    </message>
    <message>
        <source>Choose a prepared message, or the microphone.</source>
        <translation>Hãy chọn một bản tin soạn sẵn, hoặc micrô.</translation>
    </message>
    <message>
        <source>No input can be used for a live emergency broadcast.</source>
        <translation>Không có nguồn âm thanh nào dùng được để phát khẩn cấp trực tiếp.</translation>
    </message>
    <message>
        <source>Choose where to broadcast.</source>
        <translation>Hãy chọn nơi phát.</translation>
    </message>
    <message>
        <source>Checking what the emergency broadcast would interrupt…</source>
        <translation>Đang kiểm tra những nội dung sẽ bị ngắt khi phát khẩn cấp…</translation>
    </message>
    <message>
        <source>This interrupts everything playing on {n} cluster(s).</source>
        <translation>Thao tác này sẽ ngắt mọi nội dung đang phát trên {n} cụm loa.</translation>
    </message>
    <message>
        <source>What: the prepared message “{title}” ({length}).</source>
        <translation>Nội dung: bản tin soạn sẵn “{title}” ({length}).</translation>
    </message>
    <message>
        <source>What: live from {input}.</source>
        <translation>Nội dung: phát trực tiếp từ {input}.</translation>
    </message>
    <message>
        <source>Where: {targets} — {n} cluster(s).</source>
        <translation>Nơi phát: {targets} — {n} cụm loa.</translation>
    </message>
    <message>
        <source>The live announcement on air now will be cut off.</source>
        <translation>Buổi phát trực tiếp đang diễn ra sẽ bị ngắt.</translation>
    </message>
    <message>
        <source>Scheduled programmes airing now, which will be cut off:</source>
        <translation>Các chương trình theo lịch đang phát và sẽ bị ngắt:</translation>
    </message>
    <message>
        <source>No scheduled programme is airing on these clusters now.</source>
        <translation>Hiện không có chương trình theo lịch nào đang phát trên các cụm loa này.</translation>
    </message>
    <message>
        <source>{title} (until {time})</source>
        <translation>{title} (đến {time})</translation>
    </message>
    <message>
        <source>cluster(s) will play the emergency</source>
        <translation>cụm loa sẽ phát khẩn cấp</translation>
    </message>
    <message>
        <source>live announcement cut off</source>
        <translation>buổi phát trực tiếp bị ngắt</translation>
    </message>
    <message>
        <source>scheduled programme(s) cut off</source>
        <translation>chương trình theo lịch bị ngắt</translation>
    </message>
    <message>
        <source>Interrupted programmes do not resume: after the emergency the clusters play their next scheduled item.</source>
        <translation>Chương trình bị ngắt sẽ không phát tiếp: sau khi phát khẩn cấp xong, các cụm loa phát nội dung kế tiếp theo lịch.</translation>
    </message>
    <message>
        <source>The chosen targets hold no cluster.</source>
        <translation>Nơi phát đã chọn không có cụm loa nào.</translation>
    </message>
    <message>
        <source>Could not check what would be interrupted.</source>
        <translation>Không kiểm tra được những nội dung sẽ bị ngắt.</translation>
    </message>
    <message>
        <source>Starting the emergency broadcast…</source>
        <translation>Đang bắt đầu phát khẩn cấp…</translation>
    </message>
    <message>
        <source>Starting the emergency broadcast… (a message that was never sent to the clusters is prepared for them first, which can take a minute)</source>
        <translation>Đang bắt đầu phát khẩn cấp… (bản tin chưa từng gửi xuống cụm loa phải được chuẩn bị trước, có thể mất khoảng một phút)</translation>
    </message>
    <message>
        <source>The emergency broadcast did not start: {reason}</source>
        <translation>Không bắt đầu được phát khẩn cấp: {reason}</translation>
    </message>
    <message>
        <source>The emergency broadcast has ended: {reason}.</source>
        <translation>Phát khẩn cấp đã kết thúc: {reason}.</translation>
    </message>
    <message>
        <source>Emergency broadcast on air</source>
        <translation>Đang phát khẩn cấp</translation>
    </message>
    <message>
        <source>{responded} of {n} cluster(s) have answered.</source>
        <translation>{responded}/{n} cụm loa đã phản hồi.</translation>
    </message>
    <message>
        <source>Close (the broadcast goes on)</source>
        <translation>Đóng (vẫn tiếp tục phát)</translation>
    </message>
</context>
<context>
    <name>EmergencyItemPicker</name>
    <message>
        <source>Choose the emergency message</source>
        <translation>Chọn bản tin khẩn cấp</translation>
    </message>
    <message>
        <source>Choose</source>
        <translation>Chọn</translation>
    </message>
</context>
<context>
    <name>FadeGroup</name>
    <message>
        <source>Linear</source>
        <translation>Tuyến tính</translation>
    </message>
    <message>
        <source>Smooth</source>
        <translation>Êm</translation>
    </message>
    <message>
        <source>S-curve</source>
        <translation>Hình chữ S</translation>
    </message>
    <message>
        <source>Logarithmic</source>
        <translation>Logarit</translation>
    </message>
    <message>
        <source>Exponential</source>
        <translation>Hàm mũ</translation>
    </message>
    <message>
        <source>Fade</source>
        <translation>To dần, nhỏ dần</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>Độ dài</translation>
    </message>
    <message>
        <source>Curve</source>
        <translation>Kiểu</translation>
    </message>
    <message>
        <source>Fade in</source>
        <translation>To dần ở đầu</translation>
    </message>
    <message>
        <source>Bring the sound up gradually at the start of the item</source>
        <translation>Tăng dần âm lượng từ đầu bài</translation>
    </message>
    <message>
        <source>Fade out</source>
        <translation>Nhỏ dần ở cuối</translation>
    </message>
    <message>
        <source>Take the sound down gradually at the end of the item</source>
        <translation>Giảm dần âm lượng ở cuối bài</translation>
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
    <name>FixFirstView</name>
    <message>
        <source>No commune</source>
        <translation>Không có xã</translation>
    </message>
    <message>
        <source>{commune} · {n} offline</source>
        <translation>{commune} · {n} mất kết nối</translation>
    </message>
    <message>
        <source>Offline clusters: &lt;b&gt;{n}&lt;/b&gt; · communes: &lt;b&gt;{units}&lt;/b&gt; · people without their loudspeakers: about &lt;b&gt;{people}&lt;/b&gt;. Highest impact (people × hours down) first.</source>
        <translation>Cụm loa mất kết nối: &lt;b&gt;{n}&lt;/b&gt; · xã: &lt;b&gt;{units}&lt;/b&gt; · số dân không nghe được loa: khoảng &lt;b&gt;{people}&lt;/b&gt;. Ảnh hưởng lớn nhất (số dân × số giờ mất kết nối) xếp trước.</translation>
    </message>
    <message>
        <source>Every cluster is online: nothing to fix.</source>
        <translation>Mọi cụm loa đều trực tuyến: không có gì cần sửa.</translation>
    </message>
    <message>
        <source>Export the list</source>
        <translation>Xuất danh sách</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV, comma-separated (*.csv)</source>
        <translation>Sổ tính Excel (*.xlsx);;CSV, phân cách bằng dấu phẩy (*.csv)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Đang xuất…</translation>
    </message>
    <message>
        <source>{n} clusters written to {path}</source>
        <translation>Đã ghi {n} cụm loa vào {path}</translation>
    </message>
    <message>
        <source>The list could not be exported: {error}</source>
        <translation>Không xuất được danh sách: {error}</translation>
    </message>
    <message>
        <source>Commune / cluster</source>
        <translation>Xã / cụm loa</translation>
    </message>
    <message>
        <source>Offline since</source>
        <translation>Mất kết nối từ</translation>
    </message>
    <message>
        <source>Hours down</source>
        <translation>Số giờ mất kết nối</translation>
    </message>
    <message>
        <source>People served</source>
        <translation>Số dân phục vụ</translation>
    </message>
    <message>
        <source>Impact</source>
        <translation>Mức ảnh hưởng</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Xuất…</translation>
    </message>
    <message>
        <source>Save the list as an Excel workbook or a CSV file, to take on the road</source>
        <translation>Lưu danh sách thành tệp Excel hoặc CSV để mang theo khi đi sửa</translation>
    </message>
</context>
<context>
    <name>FleetGraphs</name>
    <message>
        <source>The fleet over time</source>
        <translation>Toàn hệ thống loa theo thời gian</translation>
    </message>
    <message>
        <source>Clusters online</source>
        <translation>Cụm loa trực tuyến</translation>
    </message>
    <message>
        <source>Messages per minute</source>
        <translation>Gói tin mỗi phút</translation>
    </message>
    <message>
        <source>Open alarms</source>
        <translation>Cảnh báo chưa xử lý</translation>
    </message>
    <message>
        <source>Playing</source>
        <translation>Đang phát</translation>
    </message>
    <message>
        <source>Faulty</source>
        <translation>Có lỗi</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Chờ tiếp nhận</translation>
    </message>
    <message>
        <source>Clusters by status</source>
        <translation>Cụm loa theo trạng thái</translation>
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
    <name>GainGroup</name>
    <message>
        <source>Volume</source>
        <translation>Âm lượng</translation>
    </message>
    <message>
        <source>Change volume</source>
        <translation>Chỉnh âm lượng</translation>
    </message>
    <message>
        <source>Applies to the selection</source>
        <translation>Áp dụng cho đoạn đã chọn</translation>
    </message>
    <message>
        <source>Applies to the whole item (nothing selected)</source>
        <translation>Áp dụng cho cả bài (chưa chọn đoạn nào)</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Sự kiện</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Bản ghi</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Dung lượng</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Chi tiết</translation>
    </message>
</context>
<context>
    <name>ImportResults</name>
    <message>
        <source>the file is not there any more</source>
        <translation>không tìm thấy tệp</translation>
    </message>
    <message>
        <source>the file cannot be read</source>
        <translation>không đọc được tệp</translation>
    </message>
    <message>
        <source>this is a folder, not a file</source>
        <translation>đây là thư mục, không phải tệp</translation>
    </message>
    <message>
        <source>the file is empty (0 bytes)</source>
        <translation>tệp rỗng (0 byte)</translation>
    </message>
    <message>
        <source>not an audio file</source>
        <translation>không phải tệp âm thanh</translation>
    </message>
    <message>
        <source>the file has no sound track</source>
        <translation>tệp không có tiếng (không có kênh âm thanh)</translation>
    </message>
    <message>
        <source>the file is incomplete or damaged</source>
        <translation>tệp bị thiếu hoặc bị hỏng</translation>
    </message>
    <message>
        <source>longer than 10 hours</source>
        <translation>dài quá 10 giờ</translation>
    </message>
    <message>
        <source>cannot copy it to the library&apos;s disk</source>
        <translation>không chép được vào ổ đĩa của thư viện</translation>
    </message>
    <message>
        <source>cannot save it in the database</source>
        <translation>không lưu được vào cơ sở dữ liệu</translation>
    </message>
    <message>
        <source>{ok} of {total} files imported.</source>
        <translation>Đã nhập {ok}/{total} tệp.</translation>
    </message>
</context>
<context>
    <name>ImportResultsDialog</name>
    <message>
        <source>Import results</source>
        <translation>Kết quả nhập tệp</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>✓ {title} (already in the library)</source>
        <translation>✓ {title} (đã có sẵn trong thư viện)</translation>
    </message>
    <message>
        <source>✓ {title}</source>
        <translation>✓ {title}</translation>
    </message>
    <message>
        <source>✗ {file}: {reason}</source>
        <translation>✗ {file}: {reason}</translation>
    </message>
    <message>
        <source>– {file}: not imported, the import was cancelled</source>
        <translation>– {file}: chưa nhập vì đã hủy việc nhập tệp</translation>
    </message>
</context>
<context>
    <name>InboxModel</name>
    <message>
        <source>Priority</source>
        <translation>Ưu tiên</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Nhận lúc</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>Nơi phát</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Văn bản</translation>
    </message>
    <message>
        <source>Audio {length}</source>
        <translation>Âm thanh {length}</translation>
    </message>
    <message>
        <source>Audio</source>
        <translation>Âm thanh</translation>
    </message>
    <message>
        <source>A text without audio: read it out live</source>
        <translation>Văn bản không có âm thanh: cần đọc trực tiếp</translation>
    </message>
</context>
<context>
    <name>InboxNote</name>
    <message>
        <source>Waiting for the operator to schedule it.</source>
        <translation>Chờ trực ban xếp lịch phát.</translation>
    </message>
    <message>
        <source>A priority bulletin without audio: read it out live, or record it and schedule it.</source>
        <translation>Bản tin ưu tiên không có âm thanh: đọc trực tiếp, hoặc thu âm rồi xếp lịch phát.</translation>
    </message>
    <message>
        <source>It could not be scheduled: {error}</source>
        <translation>Không xếp được lịch phát: {error}</translation>
    </message>
    <message>
        <source>An emergency bulletin: confirm to broadcast it now.</source>
        <translation>Bản tin khẩn cấp: xác nhận để phát ngay.</translation>
    </message>
    <message>
        <source>It could not play at once ({error}); confirm to try again.</source>
        <translation>Không phát ngay được ({error}); xác nhận để thử lại.</translation>
    </message>
    <message>
        <source>Its audio cannot be used: {error}</source>
        <translation>Không dùng được âm thanh của bản tin: {error}</translation>
    </message>
    <message>
        <source>Scheduled at {when} (schedule {schedule}, {state}).</source>
        <translation>Đã xếp lịch phát lúc {when} (lịch {schedule}, {state}).</translation>
    </message>
    <message>
        <source>Emergency broadcast {session} started on {n} device(s).</source>
        <translation>Đã phát khẩn cấp {session} trên {n} cụm loa.</translation>
    </message>
    <message>
        <source>Read out live by the operator.</source>
        <translation>Trực ban đã đọc trực tiếp.</translation>
    </message>
</context>
<context>
    <name>InboxView</name>
    <message>
        <source>The inbox could not be read: {error}</source>
        <translation>Không đọc được danh sách bản tin: {error}</translation>
    </message>
    <message>
        <source>Priority bulletin “{title}” was put into the schedule: {note}</source>
        <translation>Bản tin ưu tiên “{title}” đã được đưa vào lịch phát: {note}</translation>
    </message>
    <message>
        <source>Emergency bulletin “{title}” is on air: {note}</source>
        <translation>Bản tin khẩn cấp “{title}” đang được phát: {note}</translation>
    </message>
    <message>
        <source>{n} bulletin(s): {confirm} awaiting confirmation, {waiting} waiting, {scheduled} scheduled, {played} played, {rejected} rejected</source>
        <translation>{n} bản tin: {confirm} chờ xác nhận, {waiting} chờ xử lý, {scheduled} đã lên lịch, {played} đã phát, {rejected} đã từ chối</translation>
    </message>
    <message>
        <source>Select a bulletin to read it, listen to it and act on it.</source>
        <translation>Chọn một bản tin để đọc, nghe và xử lý.</translation>
    </message>
    <message>
        <source>{n} cluster(s)</source>
        <translation>{n} cụm loa</translation>
    </message>
    <message>
        <source>clusters: unknown</source>
        <translation>số cụm loa: chưa rõ</translation>
    </message>
    <message>
        <source>&lt;b&gt;Emergency broadcast on:&lt;/b&gt; {where} — &lt;b&gt;{clusters}&lt;/b&gt;. It interrupts everything playing there.</source>
        <translation>&lt;b&gt;Phát khẩn cấp tại:&lt;/b&gt; {where} — &lt;b&gt;{clusters}&lt;/b&gt;. Mọi nội dung đang phát ở đó sẽ bị ngắt.</translation>
    </message>
    <message>
        <source>It has no audio: read it out live (Broadcast ▸ EMERGENCY), then mark it as read out.</source>
        <translation>Bản tin không có âm thanh: hãy đọc trực tiếp (Phát sóng ▸ KHẨN CẤP), rồi đánh dấu đã đọc.</translation>
    </message>
    <message>
        <source>Bulletin {id}</source>
        <translation>Bản tin {id}</translation>
    </message>
    <message>
        <source>from {issuer}</source>
        <translation>từ {issuer}</translation>
    </message>
    <message>
        <source>issued {time}</source>
        <translation>ban hành lúc {time}</translation>
    </message>
    <message>
        <source>received {time}</source>
        <translation>nhận lúc {time}</translation>
    </message>
    <message>
        <source>valid from {time}</source>
        <translation>hiệu lực từ {time}</translation>
    </message>
    <message>
        <source>until {time}</source>
        <translation>đến {time}</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>Trạng thái:</translation>
    </message>
    <message>
        <source>Targets:</source>
        <translation>Nơi phát:</translation>
    </message>
    <message>
        <source>No audio: a text to read out.</source>
        <translation>Không có âm thanh: văn bản để đọc.</translation>
    </message>
    <message>
        <source>Receipts to the province:</source>
        <translation>Biên nhận gửi tỉnh:</translation>
    </message>
    <message>
        <source>A rejection needs a note that says why.</source>
        <translation>Khi từ chối, cần ghi rõ lý do.</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>Đang xử lý…</translation>
    </message>
    <message>
        <source>Scheduled; the province is told. {note}</source>
        <translation>Đã lên lịch; đã báo cho tỉnh. {note}</translation>
    </message>
    <message>
        <source>The emergency broadcast started; the province is told. {note}</source>
        <translation>Đã bắt đầu phát khẩn cấp; đã báo cho tỉnh. {note}</translation>
    </message>
    <message>
        <source>Marked as read out; the province is told.</source>
        <translation>Đã đánh dấu là đã đọc; đã báo cho tỉnh.</translation>
    </message>
    <message>
        <source>Rejected; the province is told why: {note}</source>
        <translation>Đã từ chối; đã báo lý do cho tỉnh: {note}</translation>
    </message>
    <message>
        <source>Not done: {error}</source>
        <translation>Chưa thực hiện được: {error}</translation>
    </message>
    <message>
        <source>Schedule…</source>
        <translation>Lên lịch…</translation>
    </message>
    <message>
        <source>Put its audio into the schedule: at a time or in the next free slot, on its targets or others</source>
        <translation>Đưa âm thanh của bản tin vào lịch phát: vào một thời điểm hoặc khung giờ trống kế tiếp, tại nơi phát của bản tin hoặc nơi khác</translation>
    </message>
    <message>
        <source>Mark as read out</source>
        <translation>Đánh dấu đã đọc</translation>
    </message>
    <message>
        <source>You read this text out live: the province is told it was played</source>
        <translation>Bạn đã đọc trực tiếp văn bản này: tỉnh sẽ được báo là bản tin đã phát</translation>
    </message>
    <message>
        <source>Reject…</source>
        <translation>Từ chối…</translation>
    </message>
    <message>
        <source>Do not broadcast it; the province gets your note</source>
        <translation>Không phát bản tin này; tỉnh sẽ nhận được ghi chú của bạn</translation>
    </message>
    <message>
        <source>Confirm emergency broadcast</source>
        <translation>Xác nhận phát khẩn cấp</translation>
    </message>
    <message>
        <source>One click: the broadcast starts at once on the targets shown</source>
        <translation>Chỉ một lần bấm: bắt đầu phát ngay tại nơi phát đã hiển thị</translation>
    </message>
</context>
<context>
    <name>InputChooser</name>
    <message>
        <source>List the microphones again</source>
        <translation>Tải lại danh sách micrô</translation>
    </message>
    <message>
        <source>Microphone: {name}</source>
        <translation>Micrô: {name}</translation>
    </message>
    <message>
        <source>Audio file: {name}</source>
        <translation>Tệp âm thanh: {name}</translation>
    </message>
    <message>
        <source>Play an audio file…</source>
        <translation>Phát một tệp âm thanh…</translation>
    </message>
    <message>
        <source>Looking for microphones…</source>
        <translation>Đang tìm micrô…</translation>
    </message>
    <message>
        <source>none found</source>
        <translation>không tìm thấy micrô nào</translation>
    </message>
    <message>
        <source>No microphone can be used here: {reason}</source>
        <translation>Không dùng được micrô trên máy này: {reason}</translation>
    </message>
    <message>
        <source>Play an audio file live</source>
        <translation>Phát trực tiếp một tệp âm thanh</translation>
    </message>
    <message>
        <source>Audio files (*.wav *.mp3 *.m4a *.ogg *.opus *.flac);;All files (*)</source>
        <translation>Tệp âm thanh (*.wav *.mp3 *.m4a *.ogg *.opus *.flac);;Mọi tệp (*)</translation>
    </message>
</context>
<context>
    <name>ItemEditor</name>
    <message>
        <source>Editor</source>
        <translation>Biên tập</translation>
    </message>
</context>
<context>
    <name>ItemPicker</name>
    <message>
        <source>Add an item at the end</source>
        <translation>Ghép bài vào cuối</translation>
    </message>
    <message>
        <source>Add an item at the start</source>
        <translation>Ghép bài vào đầu</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Thêm</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Could not read the audio library: {reason}</source>
        <translation>Không đọc được thư viện âm thanh: {reason}</translation>
    </message>
    <message>
        <source>No item matches.</source>
        <translation>Không có tệp nào khớp.</translation>
    </message>
</context>
<context>
    <name>LevelMeter</name>
    <message>
        <source>Peak — · RMS —</source>
        <translation>Đỉnh — · RMS —</translation>
    </message>
    <message>
        <source>Peak {peak} dBFS · RMS {rms} dBFS</source>
        <translation>Đỉnh {peak} dBFS · RMS {rms} dBFS</translation>
    </message>
</context>
<context>
    <name>Library</name>
    <message>
        <source>News</source>
        <translation>Tin tức</translation>
    </message>
    <message>
        <source>Policy and law</source>
        <translation>Chính sách, pháp luật</translation>
    </message>
    <message>
        <source>Emergency</source>
        <translation>Khẩn cấp</translation>
    </message>
    <message>
        <source>Culture</source>
        <translation>Văn hóa</translation>
    </message>
    <message>
        <source>Advertisement</source>
        <translation>Quảng cáo</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Khác</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>Bản nháp</translation>
    </message>
    <message>
        <source>Awaiting approval</source>
        <translation>Chờ duyệt</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>Đã duyệt</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>Bị trả lại</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>Đã lưu trữ</translation>
    </message>
    <message>
        <source>Vietnamese</source>
        <translation>Tiếng Việt</translation>
    </message>
    <message>
        <source>English</source>
        <translation>Tiếng Anh</translation>
    </message>
    <message>
        <source>Khmer</source>
        <translation>Tiếng Khmer</translation>
    </message>
    <message>
        <source>Hmong</source>
        <translation>Tiếng H’Mông</translation>
    </message>
    <message>
        <source>Tày</source>
        <translation>Tiếng Tày</translation>
    </message>
    <message>
        <source>Mường</source>
        <translation>Tiếng Mường</translation>
    </message>
    <message>
        <source>Ê Đê</source>
        <translation>Tiếng Ê Đê</translation>
    </message>
    <message>
        <source>Jarai</source>
        <translation>Tiếng Gia Rai</translation>
    </message>
    <message>
        <source>Bahnar</source>
        <translation>Tiếng Ba Na</translation>
    </message>
    <message>
        <source>Cham</source>
        <translation>Tiếng Chăm</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>Nhập vào thư viện</translation>
    </message>
    <message>
        <source>Details changed</source>
        <translation>Sửa thông tin</translation>
    </message>
    <message>
        <source>Audio edited</source>
        <translation>Biên tập âm thanh</translation>
    </message>
    <message>
        <source>Submitted for approval</source>
        <translation>Gửi duyệt</translation>
    </message>
    <message>
        <source>Rendered for broadcast</source>
        <translation>Xuất tệp phát sóng</translation>
    </message>
    <message>
        <source>Editor</source>
        <translation>Biên tập viên</translation>
    </message>
    <message>
        <source>Approver</source>
        <translation>Người duyệt</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>Kỹ thuật viên</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Quản trị viên</translation>
    </message>
</context>
<context>
    <name>LibraryTableModel</name>
    <message>
        <source>Title</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Chuyên mục</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>Thời lượng</translation>
    </message>
    <message>
        <source>LUFS</source>
        <translation>LUFS</translation>
    </message>
    <message>
        <source>dBTP</source>
        <translation>dBTP</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>Tác giả</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Ngày nhập</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Hết hạn</translation>
    </message>
    <message>
        <source>Measured loudness, integrated (EBU R128). Rendering brings it to the target.</source>
        <translation>Độ to đo được, tích hợp (EBU R128). Khi xuất tệp phát, độ to được đưa về mức chuẩn.</translation>
    </message>
    <message>
        <source>Highest true peak of the imported audio</source>
        <translation>Đỉnh thực (true peak) cao nhất của âm thanh đã nhập</translation>
    </message>
    <message>
        <source>The day the file was imported</source>
        <translation>Ngày nhập tệp vào thư viện</translation>
    </message>
    <message>
        <source>Last day the item may be broadcast</source>
        <translation>Ngày cuối cùng được phép phát</translation>
    </message>
    <message>
        <source>File: {name}</source>
        <translation>Tệp: {name}</translation>
    </message>
    <message>
        <source>Silent: there is no loudness to measure</source>
        <translation>Im lặng: không có âm thanh để đo độ to</translation>
    </message>
    <message>
        <source>Expired: do not broadcast any more</source>
        <translation>Đã hết hạn: không phát nữa</translation>
    </message>
    <message>
        <source>Imported by {user}, {time}</source>
        <translation>{user} nhập lúc {time}</translation>
    </message>
</context>
<context>
    <name>LibraryView</name>
    <message>
        <source>Any date</source>
        <translation>Mọi ngày</translation>
    </message>
    <message>
        <source>Added today</source>
        <translation>Nhập hôm nay</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 ngày qua</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>30 ngày qua</translation>
    </message>
    <message>
        <source>Between dates…</source>
        <translation>Trong khoảng ngày…</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Nhập tệp…</translation>
    </message>
    <message>
        <source>Add audio or video files to the library (you can also drag files onto the list)</source>
        <translation>Thêm tệp âm thanh hoặc video vào thư viện (cũng có thể kéo thả tệp vào danh sách)</translation>
    </message>
    <message>
        <source>Edit audio</source>
        <translation>Biên tập</translation>
    </message>
    <message>
        <source>Open the item in the audio editor</source>
        <translation>Mở tệp trong trình biên tập âm thanh</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>Gửi duyệt</translation>
    </message>
    <message>
        <source>Send the item for approval</source>
        <translation>Gửi tệp để duyệt trước khi phát</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Duyệt</translation>
    </message>
    <message>
        <source>Approve the item for broadcast</source>
        <translation>Duyệt cho phát sóng</translation>
    </message>
    <message>
        <source>Return…</source>
        <translation>Trả lại…</translation>
    </message>
    <message>
        <source>Send the item back to its author, saying what to fix</source>
        <translation>Trả lại cho người soạn, ghi rõ cần sửa gì</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>Lưu trữ</translation>
    </message>
    <message>
        <source>Take the item out of use; it stays in the library</source>
        <translation>Thôi sử dụng; tệp vẫn được giữ trong thư viện</translation>
    </message>
    <message>
        <source>Render</source>
        <translation>Xuất tệp phát</translation>
    </message>
    <message>
        <source>Make the broadcast file (compressed, at the standard loudness) that the loudspeaker clusters download</source>
        <translation>Tạo tệp phát sóng (đã nén, đúng độ to chuẩn) để các cụm loa tải về</translation>
    </message>
    <message>
        <source>Search title, source, author, tags, notes… (accents optional)</source>
        <translation>Tìm theo tiêu đề, nguồn, tác giả, từ khóa, ghi chú… (gõ không dấu cũng được)</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>Mọi chuyên mục</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Mọi trạng thái</translation>
    </message>
    <message>
        <source>Added on or after this day</source>
        <translation>Nhập từ ngày này</translation>
    </message>
    <message>
        <source>Added on or before this day</source>
        <translation>Nhập đến hết ngày này</translation>
    </message>
    <message>
        <source>Could not read the audio library.</source>
        <translation>Không đọc được thư viện âm thanh.</translation>
    </message>
    <message>
        <source>1 item</source>
        <translation>1 tệp</translation>
    </message>
    <message>
        <source>{n} items</source>
        <translation>{n} tệp</translation>
    </message>
    <message>
        <source>Nothing matches these filters.</source>
        <translation>Không có tệp nào khớp với bộ lọc.</translation>
    </message>
    <message>
        <source>The library is empty.
Drag audio files here, or click Import…</source>
        <translation>Thư viện chưa có tệp nào.
Kéo thả tệp âm thanh vào đây, hoặc bấm “Nhập tệp…”</translation>
    </message>
    <message>
        <source>Could not read the item&apos;s history.</source>
        <translation>Không đọc được lịch sử của tệp.</translation>
    </message>
    <message>
        <source>Return “{title}”</source>
        <translation>Trả lại “{title}”</translation>
    </message>
    <message>
        <source>What must be fixed before it can be approved?</source>
        <translation>Cần sửa gì để được duyệt?</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>Trả lại</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>“{title}” was submitted for approval.</source>
        <translation>Đã gửi duyệt “{title}”.</translation>
    </message>
    <message>
        <source>“{title}” is approved for broadcast.</source>
        <translation>Đã duyệt “{title}” cho phát sóng.</translation>
    </message>
    <message>
        <source>“{title}” was returned to its author.</source>
        <translation>Đã trả lại “{title}” cho người soạn.</translation>
    </message>
    <message>
        <source>“{title}” was archived.</source>
        <translation>Đã lưu trữ “{title}”.</translation>
    </message>
    <message>
        <source>Could not submit “{title}” for approval.</source>
        <translation>Không gửi duyệt được “{title}”.</translation>
    </message>
    <message>
        <source>Could not approve “{title}”.</source>
        <translation>Không duyệt được “{title}”.</translation>
    </message>
    <message>
        <source>Could not return “{title}”.</source>
        <translation>Không trả lại được “{title}”.</translation>
    </message>
    <message>
        <source>Could not archive “{title}”.</source>
        <translation>Không lưu trữ được “{title}”.</translation>
    </message>
    <message>
        <source>Could not save the details of “{title}”.</source>
        <translation>Không lưu được thông tin của “{title}”.</translation>
    </message>
    <message>
        <source>Details of “{title}” saved.</source>
        <translation>Đã lưu thông tin của “{title}”.</translation>
    </message>
    <message>
        <source>Import audio</source>
        <translation>Nhập tệp âm thanh</translation>
    </message>
    <message>
        <source>Audio and video files ({patterns})</source>
        <translation>Tệp âm thanh và video ({patterns})</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Mọi tệp (*)</translation>
    </message>
    <message>
        <source>Importing {name}…</source>
        <translation>Đang nhập {name}…</translation>
    </message>
    <message>
        <source>Importing {n} files…</source>
        <translation>Đang nhập {n} tệp…</translation>
    </message>
    <message>
        <source>Could not import the files.</source>
        <translation>Không nhập được các tệp.</translation>
    </message>
    <message>
        <source>The import was cancelled.</source>
        <translation>Đã hủy việc nhập tệp.</translation>
    </message>
    <message>
        <source>Rendering “{title}”…</source>
        <translation>Đang xuất tệp phát “{title}”…</translation>
    </message>
    <message>
        <source>“{title}” rendered: {format} {bitrate} kbit/s, {length}, {size} MB, {lufs} LUFS, true peak {peak} dBTP.</source>
        <translation>Đã xuất tệp phát “{title}”: {format} {bitrate} kbit/s, {length}, {size} MB, {lufs} LUFS, đỉnh thực {peak} dBTP.</translation>
    </message>
    <message>
        <source>Rendering “{title}” was cancelled.</source>
        <translation>Đã hủy xuất tệp phát “{title}”.</translation>
    </message>
    <message>
        <source>Could not render “{title}”.</source>
        <translation>Không xuất được tệp phát “{title}”.</translation>
    </message>
    <message>
        <source>Audio library</source>
        <translation>Thư viện âm thanh</translation>
    </message>
    <message>
        <source>Drop to import 1 file</source>
        <translation>Thả chuột để nhập 1 tệp</translation>
    </message>
    <message>
        <source>Drop to import {n} files</source>
        <translation>Thả chuột để nhập {n} tệp</translation>
    </message>
</context>
<context>
    <name>Live</name>
    <message>
        <source>stopped</source>
        <translation>đã dừng</translation>
    </message>
    <message>
        <source>taken over by a newer broadcast</source>
        <translation>bị buổi phát mới hơn thay thế</translation>
    </message>
    <message>
        <source>maximum duration reached</source>
        <translation>đã đạt thời lượng tối đa</translation>
    </message>
    <message>
        <source>the audio file ended</source>
        <translation>tệp âm thanh đã phát hết</translation>
    </message>
    <message>
        <source>the microphone stopped delivering sound</source>
        <translation>micrô không còn truyền âm thanh</translation>
    </message>
    <message>
        <source>the console was closed</source>
        <translation>phần mềm điều hành đã bị đóng</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>bị ngắt</translation>
    </message>
    <message>
        <source>the item finished</source>
        <translation>đã phát hết nội dung</translation>
    </message>
    <message>
        <source>emergency stop</source>
        <translation>lệnh dừng khẩn cấp</translation>
    </message>
    <message>
        <source>Your role ({role}) does not allow going live.</source>
        <translation>Vai trò của bạn ({role}) không được phép phát trực tiếp.</translation>
    </message>
    <message>
        <source>Your role ({role}) does not allow starting an emergency broadcast.</source>
        <translation>Vai trò của bạn ({role}) không được phép phát khẩn cấp.</translation>
    </message>
    <message>
        <source>Choose a prepared emergency item or the microphone.</source>
        <translation>Hãy chọn một bản tin khẩn cấp soạn sẵn hoặc micrô.</translation>
    </message>
    <message>
        <source>There is no media server to carry the live stream, so nothing can go live.</source>
        <translation>Không có máy chủ tệp âm thanh để truyền luồng trực tiếp, nên không thể phát trực tiếp.</translation>
    </message>
    <message>
        <source>The chosen targets hold no cluster.</source>
        <translation>Nơi phát đã chọn không có cụm loa nào.</translation>
    </message>
    <message>
        <source>error: {message}</source>
        <translation>lỗi: {message}</translation>
    </message>
    <message>
        <source>every cluster</source>
        <translation>tất cả cụm loa</translation>
    </message>
    <message>
        <source>{n} group(s)</source>
        <translation>{n} nhóm</translation>
    </message>
    <message>
        <source>{n} administrative unit(s)</source>
        <translation>{n} đơn vị hành chính</translation>
    </message>
    <message>
        <source>{n} single cluster(s)</source>
        <translation>{n} cụm loa riêng lẻ</translation>
    </message>
</context>
<context>
    <name>LiveDesk</name>
    <message>
        <source>Where</source>
        <translation>Nơi phát</translation>
    </message>
    <message>
        <source>Announcement</source>
        <translation>Thông báo trực tiếp</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Nguồn âm thanh</translation>
    </message>
    <message>
        <source>Chime</source>
        <translation>Chuông báo</translation>
    </message>
    <message>
        <source>Maximum length</source>
        <translation>Thời lượng tối đa</translation>
    </message>
    <message>
        <source>Talk button</source>
        <translation>Nút nói</translation>
    </message>
    <message>
        <source>Play the chime before speaking</source>
        <translation>Phát chuông báo trước khi nói</translation>
    </message>
    <message>
        <source>min</source>
        <translation>phút</translation>
    </message>
    <message>
        <source>Hold to talk</source>
        <translation>Nhấn giữ để nói</translation>
    </message>
    <message>
        <source>Click to start and stop</source>
        <translation>Bấm để bắt đầu, bấm lại để dừng</translation>
    </message>
    <message>
        <source>ON AIR</source>
        <translation>ĐANG PHÁT SÓNG</translation>
    </message>
    <message>
        <source>To {n} cluster(s) · {joined} joined · {silent} not responded</source>
        <translation>Tới {n} cụm loa · {joined} đã tham gia · {silent} chưa phản hồi</translation>
    </message>
    <message>
        <source>Ends in {time}: the maximum length is reached then</source>
        <translation>Kết thúc sau {time}: khi đó đạt thời lượng tối đa</translation>
    </message>
    <message>
        <source>EMERGENCY</source>
        <translation>KHẨN CẤP</translation>
    </message>
    <message>
        <source>An emergency broadcast is on air: until it ends, the clusters it reaches play it instead of a live announcement.</source>
        <translation>Đang phát khẩn cấp: cho đến khi kết thúc, các cụm loa nhận phát khẩn cấp sẽ phát nội dung khẩn cấp thay cho thông báo trực tiếp.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Đang bắt đầu…</translation>
    </message>
    <message>
        <source>Off air</source>
        <translation>Không phát sóng</translation>
    </message>
    <message>
        <source>Nothing from this desk is on air.</source>
        <translation>Bàn phát này hiện không phát gì.</translation>
    </message>
    <message>
        <source>ON AIR — release to stop</source>
        <translation>ĐANG PHÁT SÓNG — thả ra để dừng</translation>
    </message>
    <message>
        <source>Hold the button, or the space bar while the desk has focus; release to stop.</source>
        <translation>Nhấn giữ nút này, hoặc phím cách khi bàn phát đang được chọn; thả ra để dừng.</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Dừng</translation>
    </message>
    <message>
        <source>Go live</source>
        <translation>Phát trực tiếp</translation>
    </message>
    <message>
        <source>Click to go live, click again to stop.</source>
        <translation>Bấm để phát trực tiếp, bấm lần nữa để dừng.</translation>
    </message>
    <message>
        <source>Choose an input and where to broadcast first.</source>
        <translation>Hãy chọn nguồn âm thanh và nơi phát trước.</translation>
    </message>
    <message>
        <source>Going live…</source>
        <translation>Đang bắt đầu phát trực tiếp…</translation>
    </message>
    <message>
        <source>On air to {n} cluster(s).</source>
        <translation>Đang phát sóng tới {n} cụm loa.</translation>
    </message>
    <message>
        <source>Not on air: {reason}</source>
        <translation>Không phát được: {reason}</translation>
    </message>
    <message>
        <source>The announcement ended after {time}: {reason}. {joined} of {n} cluster(s) had joined.</source>
        <translation>Thông báo trực tiếp đã kết thúc sau {time}: {reason}. {joined}/{n} cụm loa đã tham gia.</translation>
    </message>
</context>
<context>
    <name>LoudnessGroup</name>
    <message>
        <source>Loudness (EBU R128)</source>
        <translation>Độ to (EBU R128)</translation>
    </message>
    <message>
        <source>Integrated</source>
        <translation>Tích hợp</translation>
    </message>
    <message>
        <source>True peak</source>
        <translation>Đỉnh thực</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Hiện tại</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Mục tiêu</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Sau khi chỉnh</translation>
    </message>
    <message>
        <source>Normalise loudness</source>
        <translation>Chuẩn hoá độ to</translation>
    </message>
    <message>
        <source>Measuring the edited sound…</source>
        <translation>Đang đo âm thanh đã biên tập…</translation>
    </message>
    <message>
        <source>The item is silent: there is nothing to normalise.</source>
        <translation>Bài không có tiếng: không có gì để chuẩn hoá.</translation>
    </message>
    <message>
        <source>Changes the volume by {gain} dB.</source>
        <translation>Âm lượng thay đổi {gain} dB.</translation>
    </message>
    <message>
        <source>Peaks are limited by {db} dB when the item is rendered.</source>
        <translation>Khi xuất file, các đỉnh được hạn chế bớt {db} dB.</translation>
    </message>
    <message>
        <source>It stays below the target: more would squash the peaks too hard.</source>
        <translation>Bài vẫn nhỏ hơn mục tiêu: tăng thêm sẽ nén các đỉnh quá mạnh.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Province ({n})</source>
        <translation>Tỉnh ({n})</translation>
    </message>
    <message>
        <source>Province</source>
        <translation>Tỉnh</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Thu âm</translation>
    </message>
    <message>
        <source>Recording is not possible here: {0}</source>
        <translation>Không thu âm được trên máy này: {0}</translation>
    </message>
    <message>
        <source>Interrupted recordings</source>
        <translation>Bản thu bị gián đoạn</translation>
    </message>
    <message>
        <source>{n} recording(s) were cut short by a crash or power cut. Recover them into the library?</source>
        <translation>Có {n} bản thu bị ngắt do lỗi phần mềm hoặc mất điện. Khôi phục và đưa vào thư viện?</translation>
    </message>
    <message>
        <source>{site} — Loudspeaker operations console</source>
        <translation>{site} — Điều hành cụm loa truyền thanh</translation>
    </message>
    <message>
        <source>Loudspeaker clusters</source>
        <translation>Cụm loa</translation>
    </message>
    <message>
        <source>Audio library</source>
        <translation>Thư viện âm thanh</translation>
    </message>
    <message>
        <source>Record…</source>
        <translation>Thu âm…</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Lịch phát</translation>
    </message>
    <message>
        <source>As-run</source>
        <translation>Nhật ký phát</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Trực tiếp</translation>
    </message>
    <message>
        <source>Monitoring</source>
        <translation>Giám sát</translation>
    </message>
    <message>
        <source>&amp;Broadcast</source>
        <translation>&amp;Phát sóng</translation>
    </message>
    <message>
        <source>Live desk</source>
        <translation>Bàn phát trực tiếp</translation>
    </message>
    <message>
        <source>EMERGENCY</source>
        <translation>KHẨN CẤP</translation>
    </message>
    <message>
        <source>Emergency broadcast: interrupts everything on the chosen clusters</source>
        <translation>Phát khẩn cấp: ngắt mọi nội dung đang phát trên các cụm loa được chọn</translation>
    </message>
    <message>
        <source>Broadcast</source>
        <translation>Phát sóng</translation>
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
        <source>Map</source>
        <translation>Bản đồ</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Hiển thị</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <source>&amp;Reports</source>
        <translation>&amp;Báo cáo</translation>
    </message>
    <message>
        <source>Monthly, quarterly or yearly report…</source>
        <translation>Báo cáo tháng, quý hoặc năm…</translation>
    </message>
</context>
<context>
    <name>MapView</name>
    <message>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <source>Playing</source>
        <translation>Đang phát</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Chờ tiếp nhận</translation>
    </message>
    <message>
        <source>Fault</source>
        <translation>Lỗi</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Ngoại tuyến</translation>
    </message>
    <message>
        <source>Province outlines: &lt;a href=&quot;https://opendevelopmentmekong.net/&quot;&gt;Open Development Mekong&lt;/a&gt;, &lt;a href=&quot;https://creativecommons.org/licenses/by-sa/4.0/&quot;&gt;CC BY-SA 4.0&lt;/a&gt;</source>
        <translation>Ranh giới tỉnh: &lt;a href=&quot;https://opendevelopmentmekong.net/&quot;&gt;Open Development Mekong&lt;/a&gt;, &lt;a href=&quot;https://creativecommons.org/licenses/by-sa/4.0/&quot;&gt;CC BY-SA 4.0&lt;/a&gt;</translation>
    </message>
    <message>
        <source>No commune centroids: {error}</source>
        <translation>Không có tọa độ trung tâm xã/phường: {error}</translation>
    </message>
    <message>
        <source>No tiles: {error}</source>
        <translation>Không có ô bản đồ: {error}</translation>
    </message>
    <message>
        <source>Show all</source>
        <translation>Xem tất cả</translation>
    </message>
    <message>
        <source>Zoom to every cluster the filters show</source>
        <translation>Thu phóng vừa đủ mọi cụm loa đang hiện theo bộ lọc</translation>
    </message>
</context>
<context>
    <name>MetadataPanel</name>
    <message>
        <source>Returned by {user}: {note}</source>
        <translation>{user} trả lại: {note}</translation>
    </message>
    <message>
        <source>Change the audio or the details, then submit it again.</source>
        <translation>Hãy sửa âm thanh hoặc thông tin theo góp ý, rồi gửi duyệt lại.</translation>
    </message>
    <message>
        <source>{lufs} LUFS, true peak {peak} dBTP, range {lra} LU</source>
        <translation>{lufs} LUFS, đỉnh thực {peak} dBTP, dải động {lra} LU</translation>
    </message>
    <message>
        <source>silent</source>
        <translation>im lặng</translation>
    </message>
    <message>
        <source>{length} · {loudness}
File: {name}</source>
        <translation>{length} · {loudness}
Tệp: {name}</translation>
    </message>
    <message>
        <source>Saving sends it back to draft: it must be approved again.</source>
        <translation>Khi lưu, tệp trở về bản nháp và phải được duyệt lại.</translation>
    </message>
    <message>
        <source>Archived items cannot be changed.</source>
        <translation>Tệp đã lưu trữ thì không sửa được.</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Chuyên mục</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>Tác giả</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Từ khóa</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Hết hạn</translation>
    </message>
    <message>
        <source>Who supplied it, e.g. District radio station</source>
        <translation>Đơn vị cung cấp, ví dụ: Đài Truyền thanh huyện</translation>
    </message>
    <message>
        <source>Who wrote or read it</source>
        <translation>Người viết hoặc người đọc</translation>
    </message>
    <message>
        <source>Words separated by commas</source>
        <translation>Các từ khóa, cách nhau bằng dấu phẩy</translation>
    </message>
    <message>
        <source>Do not broadcast after</source>
        <translation>Không phát sau ngày</translation>
    </message>
    <message>
        <source>Save details</source>
        <translation>Lưu thông tin</translation>
    </message>
    <message>
        <source>Undo changes</source>
        <translation>Bỏ thay đổi</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Lịch sử</translation>
    </message>
    <message>
        <source>Select an item to see and change its details.</source>
        <translation>Chọn một tệp trong danh sách để xem và sửa thông tin.</translation>
    </message>
</context>
<context>
    <name>Monitor</name>
    <message>
        <source>Rank</source>
        <translation>Thứ tự</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Xã/Phường</translation>
    </message>
    <message>
        <source>Commune code</source>
        <translation>Mã xã/phường</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Thiết bị</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Offline since</source>
        <translation>Mất kết nối từ</translation>
    </message>
    <message>
        <source>Hours down</source>
        <translation>Số giờ mất kết nối</translation>
    </message>
    <message>
        <source>People served</source>
        <translation>Số dân phục vụ</translation>
    </message>
    <message>
        <source>Impact (people x hours)</source>
        <translation>Mức ảnh hưởng (người × giờ)</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>Vĩ độ</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>Kinh độ</translation>
    </message>
</context>
<context>
    <name>MonitorModel</name>
    <message>
        <source>1 h</source>
        <translation>1 giờ</translation>
    </message>
    <message>
        <source>24 h</source>
        <translation>24 giờ</translation>
    </message>
    <message>
        <source>7 days</source>
        <translation>7 ngày</translation>
    </message>
    <message>
        <source>30 days</source>
        <translation>30 ngày</translation>
    </message>
    <message>
        <source>Offline too long</source>
        <translation>Mất kết nối quá lâu</translation>
    </message>
    <message>
        <source>Never seen since adoption</source>
        <translation>Chưa kết nối lần nào từ khi tiếp nhận</translation>
    </message>
    <message>
        <source>Amplifier fault</source>
        <translation>Lỗi âm ly</translation>
    </message>
    <message>
        <source>Speaker line fault</source>
        <translation>Lỗi đường dây loa</translation>
    </message>
    <message>
        <source>Mains power lost</source>
        <translation>Mất điện lưới</translation>
    </message>
    <message>
        <source>Storage fault</source>
        <translation>Lỗi bộ nhớ</translation>
    </message>
    <message>
        <source>Clock fault</source>
        <translation>Lỗi đồng hồ</translation>
    </message>
    <message>
        <source>Other fault</source>
        <translation>Lỗi khác</translation>
    </message>
    <message>
        <source>Playing but silent</source>
        <translation>Đang phát nhưng không có tiếng</translation>
    </message>
    <message>
        <source>Clock off time</source>
        <translation>Đồng hồ lệch giờ</translation>
    </message>
    <message>
        <source>Weak signal</source>
        <translation>Sóng yếu</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Mới</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>Đã xác nhận</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Đã xử lý</translation>
    </message>
    <message>
        <source>Major</source>
        <translation>Nghiêm trọng</translation>
    </message>
    <message>
        <source>Minor</source>
        <translation>Nhẹ</translation>
    </message>
    <message>
        <source>Signal</source>
        <translation>Tín hiệu</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Nhiệt độ</translation>
    </message>
    <message>
        <source>Output level</source>
        <translation>Mức âm ra</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>Âm lượng</translation>
    </message>
    <message>
        <source>Battery</source>
        <translation>Ắc quy</translation>
    </message>
    <message>
        <source>Clock offset</source>
        <translation>Lệch đồng hồ</translation>
    </message>
    <message>
        <source>offline since {time}</source>
        <translation>ngoại tuyến từ {time}</translation>
    </message>
    <message>
        <source>offset {s} s</source>
        <translation>lệch {s} giây</translation>
    </message>
    <message>
        <source>{db} dBFS while playing {item}</source>
        <translation>{db} dBFS khi đang phát {item}</translation>
    </message>
    <message>
        <source>on battery, {v} V</source>
        <translation>đang dùng ắc quy, {v} V</translation>
    </message>
    <message>
        <source>adopted {time}</source>
        <translation>tiếp nhận lúc {time}</translation>
    </message>
    <message>
        <source>Acknowledged by {user} at {time}</source>
        <translation>{user} đã xác nhận lúc {time}</translation>
    </message>
    <message>
        <source>Resolved by {user} at {time}</source>
        <translation>{user} đã xử lý xong lúc {time}</translation>
    </message>
    <message>
        <source>Cleared by itself at {time}</source>
        <translation>Tự trở lại bình thường lúc {time}</translation>
    </message>
</context>
<context>
    <name>MonitorPanel</name>
    <message>
        <source>Fleet graphs</source>
        <translation>Biểu đồ toàn hệ thống</translation>
    </message>
    <message>
        <source>Cluster history</source>
        <translation>Lịch sử cụm loa</translation>
    </message>
    <message>
        <source>Alarms ({n})</source>
        <translation>Cảnh báo ({n})</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>What to fix first</source>
        <translation>Ưu tiên sửa chữa</translation>
    </message>
    <message>
        <source>Availability</source>
        <translation>Tỷ lệ hoạt động</translation>
    </message>
</context>
<context>
    <name>OnAirRow</name>
    <message>
        <source>EMERGENCY</source>
        <translation>KHẨN CẤP</translation>
    </message>
    <message>
        <source>ON AIR</source>
        <translation>ĐANG PHÁT SÓNG</translation>
    </message>
    <message>
        <source>Emergency broadcast to {n} cluster(s) · {playing} playing · {silent} not responded · {left} left</source>
        <translation>Phát khẩn cấp tới {n} cụm loa · {playing} đang phát · {silent} chưa phản hồi · còn {left}</translation>
    </message>
    <message>
        <source>Live announcement to {n} cluster(s) · {joined} joined</source>
        <translation>Phát trực tiếp tới {n} cụm loa · {joined} đã tham gia</translation>
    </message>
    <message>
        <source>Ends in {time} (maximum duration)</source>
        <translation>Kết thúc sau {time} (thời lượng tối đa)</translation>
    </message>
    <message>
        <source>Emergency stop</source>
        <translation>Dừng phát khẩn cấp</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Dừng</translation>
    </message>
</context>
<context>
    <name>Player</name>
    <message>
        <source>Playback is off: Qt Multimedia is not installed</source>
        <translation>Không nghe thử được: máy chưa cài Qt Multimedia</translation>
    </message>
    <message>
        <source>Playback is off: no sound output device was found</source>
        <translation>Không nghe thử được: không tìm thấy thiết bị phát âm thanh</translation>
    </message>
</context>
<context>
    <name>PreviewBar</name>
    <message>
        <source>Listening is off: Qt Multimedia is not installed</source>
        <translation>Không nghe thử được: chưa cài Qt Multimedia</translation>
    </message>
    <message>
        <source>Listening is off: no sound output device was found</source>
        <translation>Không nghe thử được: không tìm thấy thiết bị phát âm thanh</translation>
    </message>
    <message>
        <source>Cannot play this file: {reason}</source>
        <translation>Không phát được tệp này: {reason}</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Tạm dừng</translation>
    </message>
    <message>
        <source>Listen to the imported recording</source>
        <translation>Nghe thử bản ghi đã nhập</translation>
    </message>
    <message>
        <source>Position: drag to jump</source>
        <translation>Vị trí: kéo để tua</translation>
    </message>
</context>
<context>
    <name>ProvinceHint</name>
    <message>
        <source>This station is not linked to the province</source>
        <translation>Đài chưa được kết nối với tỉnh</translation>
    </message>
    <message>
        <source>The link could not start:</source>
        <translation>Không khởi động được kết nối:</translation>
    </message>
    <message>
        <source>Linked, it ships the station’s logs (as-run, cluster events, alarms, changes) to the province and receives its bulletins here. To link it:</source>
        <translation>Khi đã kết nối, đài gửi nhật ký (nhật ký phát, sự kiện cụm loa, cảnh báo, thay đổi) lên tỉnh và nhận bản tin của tỉnh tại đây. Để kết nối:</translation>
    </message>
    <message>
        <source>the configuration file</source>
        <translation>tệp cấu hình</translation>
    </message>
    <message>
        <source>Set {key} to the province’s API address in {config} (or the environment variable {env}).</source>
        <translation>Đặt {key} là địa chỉ API của tỉnh trong {config} (hoặc biến môi trường {env}).</translation>
    </message>
    <message>
        <source>Store the station’s token from the province: {command} (kept in the system’s keyring), or set a client certificate ({cert}, {key}).</source>
        <translation>Lưu mã truy cập do tỉnh cấp cho đài: {command} (lưu trong kho khóa của hệ thống), hoặc đặt chứng chỉ máy khách ({cert}, {key}).</translation>
    </message>
    <message>
        <source>Choose what an emergency bulletin does: {key} = {confirm} (one click, the default) or {play} (at once).</source>
        <translation>Chọn cách xử lý bản tin khẩn cấp: {key} = {confirm} (một lần bấm, mặc định) hoặc {play} (phát ngay).</translation>
    </message>
    <message>
        <source>Restart the console.</source>
        <translation>Khởi động lại phần mềm điều hành.</translation>
    </message>
</context>
<context>
    <name>ProvincePanel</name>
    <message>
        <source>Bulletins ({n} waiting)</source>
        <translation>Bản tin ({n} đang chờ)</translation>
    </message>
    <message>
        <source>Bulletins</source>
        <translation>Bản tin</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Đồng bộ</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <source>Record an announcement</source>
        <translation>Thu âm thông báo</translation>
    </message>
    <message>
        <source> min</source>
        <translation> phút</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Thu âm</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Tạm dừng</translation>
    </message>
    <message>
        <source>Stop and import</source>
        <translation>Dừng và đưa vào thư viện</translation>
    </message>
    <message>
        <source>Microphone</source>
        <translation>Micrô</translation>
    </message>
    <message>
        <source>Peak</source>
        <translation>Đỉnh</translation>
    </message>
    <message>
        <source>RMS</source>
        <translation>RMS</translation>
    </message>
    <message>
        <source>Maximum length</source>
        <translation>Thời lượng tối đa</translation>
    </message>
    <message>
        <source>The microphone cannot be used: {0}</source>
        <translation>Không dùng được micrô: {0}</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Tiếp tục</translation>
    </message>
    <message>
        <source>Recording stopped: {0}.</source>
        <translation>Đã dừng thu: {0}.</translation>
    </message>
</context>
<context>
    <name>Recorder</name>
    <message>
        <source>stopped by user</source>
        <translation>người dùng đã dừng</translation>
    </message>
    <message>
        <source>maximum duration reached</source>
        <translation>đã đạt thời lượng tối đa</translation>
    </message>
    <message>
        <source>disk almost full</source>
        <translation>ổ đĩa sắp đầy</translation>
    </message>
    <message>
        <source>device lost</source>
        <translation>mất thiết bị thu âm</translation>
    </message>
    <message>
        <source>write failed</source>
        <translation>ghi tệp thất bại</translation>
    </message>
</context>
<context>
    <name>Refusal</name>
    <message>
        <source>Your role ({role}) does not allow importing audio.</source>
        <translation>Vai trò của bạn ({role}) không được phép nhập tệp âm thanh.</translation>
    </message>
    <message>
        <source>Your role ({role}) does not allow changing items.</source>
        <translation>Vai trò của bạn ({role}) không được phép chỉnh sửa.</translation>
    </message>
    <message>
        <source>Your role ({role}) does not allow rendering items.</source>
        <translation>Vai trò của bạn ({role}) không được phép xuất tệp phát.</translation>
    </message>
    <message>
        <source>Your role ({role}) does not allow submitting items for approval.</source>
        <translation>Vai trò của bạn ({role}) không được phép gửi duyệt.</translation>
    </message>
    <message>
        <source>Your role ({role}) does not allow approving items.</source>
        <translation>Vai trò của bạn ({role}) không được phép duyệt.</translation>
    </message>
    <message>
        <source>Your role ({role}) does not allow returning items.</source>
        <translation>Vai trò của bạn ({role}) không được phép trả lại.</translation>
    </message>
    <message>
        <source>Your role ({role}) does not allow archiving items.</source>
        <translation>Vai trò của bạn ({role}) không được phép lưu trữ.</translation>
    </message>
    <message>
        <source>The item is already in the library.</source>
        <translation>Tệp này đã có trong thư viện.</translation>
    </message>
    <message>
        <source>Archived items cannot be changed.</source>
        <translation>Nội dung đã lưu trữ thì không sửa được.</translation>
    </message>
    <message>
        <source>Only drafts can be submitted for approval. This item&apos;s status: {state}.</source>
        <translation>Chỉ bản nháp mới gửi duyệt được. Trạng thái hiện tại: {state}.</translation>
    </message>
    <message>
        <source>Only items awaiting approval can be approved. This item&apos;s status: {state}.</source>
        <translation>Chỉ duyệt được nội dung đang chờ duyệt. Trạng thái hiện tại: {state}.</translation>
    </message>
    <message>
        <source>Only items awaiting approval can be returned. This item&apos;s status: {state}.</source>
        <translation>Chỉ trả lại được nội dung đang chờ duyệt. Trạng thái hiện tại: {state}.</translation>
    </message>
    <message>
        <source>The item is archived already.</source>
        <translation>Nội dung này đã được lưu trữ.</translation>
    </message>
    <message>
        <source>Say what must be fixed when returning an item.</source>
        <translation>Khi trả lại, hãy ghi rõ cần sửa gì.</translation>
    </message>
</context>
<context>
    <name>RejectDialog</name>
    <message>
        <source>Reject the bulletin</source>
        <translation>Từ chối bản tin</translation>
    </message>
    <message>
        <source>Why is &lt;b&gt;{title}&lt;/b&gt; rejected? The note goes back to the province with the receipt.</source>
        <translation>Vì sao từ chối &lt;b&gt;{title}&lt;/b&gt;? Ghi chú sẽ được gửi về tỉnh cùng biên nhận.</translation>
    </message>
    <message>
        <source>Required: e.g. not for this commune, already read out, out of date</source>
        <translation>Bắt buộc: ví dụ không dành cho xã này, đã đọc trực tiếp, đã hết hạn</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>Từ chối</translation>
    </message>
</context>
<context>
    <name>Report</name>
    <message>
        <source>Grassroots broadcasting station report</source>
        <translation>Báo cáo hoạt động đài truyền thanh cơ sở</translation>
    </message>
    <message>
        <source>Report of the province&apos;s grassroots broadcasting stations</source>
        <translation>Báo cáo tổng hợp các đài truyền thanh cơ sở của tỉnh</translation>
    </message>
    <message>
        <source>Year {year}</source>
        <translation>Năm {year}</translation>
    </message>
    <message>
        <source>Quarter {quarter} of {year}</source>
        <translation>Quý {roman} năm {year}</translation>
    </message>
    <message>
        <source>{month_name} {year}</source>
        <translation>{month_name} năm {year}</translation>
    </message>
    <message>
        <source>January</source>
        <translation>Tháng 1</translation>
    </message>
    <message>
        <source>February</source>
        <translation>Tháng 2</translation>
    </message>
    <message>
        <source>March</source>
        <translation>Tháng 3</translation>
    </message>
    <message>
        <source>April</source>
        <translation>Tháng 4</translation>
    </message>
    <message>
        <source>May</source>
        <translation>Tháng 5</translation>
    </message>
    <message>
        <source>June</source>
        <translation>Tháng 6</translation>
    </message>
    <message>
        <source>July</source>
        <translation>Tháng 7</translation>
    </message>
    <message>
        <source>August</source>
        <translation>Tháng 8</translation>
    </message>
    <message>
        <source>September</source>
        <translation>Tháng 9</translation>
    </message>
    <message>
        <source>October</source>
        <translation>Tháng 10</translation>
    </message>
    <message>
        <source>November</source>
        <translation>Tháng 11</translation>
    </message>
    <message>
        <source>December</source>
        <translation>Tháng 12</translation>
    </message>
    <message>
        <source>from {start} to {end}</source>
        <translation>từ ngày {start} đến ngày {end}</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>Đài</translation>
    </message>
    <message>
        <source>Stations covered</source>
        <translation>Các đài</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Kỳ báo cáo</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Múi giờ</translation>
    </message>
    <message>
        <source>Generated</source>
        <translation>Lập lúc</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Nguồn số liệu</translation>
    </message>
    <message>
        <source>the station&apos;s database</source>
        <translation>cơ sở dữ liệu của đài</translation>
    </message>
    <message>
        <source>the provincial collector (records the stations sent)</source>
        <translation>hệ thống thu thập của tỉnh (bản ghi các đài gửi lên)</translation>
    </message>
    <message>
        <source>The period is not over: figures up to {time}.</source>
        <translation>Kỳ báo cáo chưa kết thúc: số liệu tính đến {time}.</translation>
    </message>
    <message>
        <source>Page {page} of {pages}</source>
        <translation>Trang {page}/{pages}</translation>
    </message>
    <message>
        <source>Nothing in this period.</source>
        <translation>Không có số liệu trong kỳ.</translation>
    </message>
    <message>
        <source>(the {n} lowest)</source>
        <translation>({n} đơn vị thấp nhất)</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Tổng cộng</translation>
    </message>
    <message>
        <source>Whole station (each part once)</source>
        <translation>Toàn đài (mỗi phần tính một lần)</translation>
    </message>
    <message>
        <source>All stations (each part once per station)</source>
        <translation>Tất cả các đài (mỗi phần tính một lần cho mỗi đài)</translation>
    </message>
    <message>
        <source>All devices</source>
        <translation>Tất cả thiết bị</translation>
    </message>
    <message>
        <source>Not placed in a commune</source>
        <translation>Chưa gán xã/phường</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>Chỉ tiêu</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Số liệu</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Tổng hợp</translation>
    </message>
    <message>
        <source>Broadcast hours by station</source>
        <translation>Số giờ phát sóng theo đài</translation>
    </message>
    <message>
        <source>Hours by station</source>
        <translation>Giờ phát theo đài</translation>
    </message>
    <message>
        <source>Broadcast hours count each scheduled part once per station, for as long as it played on the device that played it longest; device hours add up every device.</source>
        <translation>Số giờ phát sóng tính mỗi phần chương trình một lần cho mỗi đài, theo thời lượng phát trên cụm loa phát lâu nhất; giờ thiết bị cộng thời lượng của mọi cụm loa.</translation>
    </message>
    <message>
        <source>Broadcast hours by commune</source>
        <translation>Số giờ phát sóng theo xã/phường</translation>
    </message>
    <message>
        <source>Hours by commune</source>
        <translation>Giờ phát theo xã</translation>
    </message>
    <message>
        <source>A part heard in several communes counts in each of them, so the communes add up to more than the whole station.</source>
        <translation>Một phần chương trình phát ở nhiều xã được tính cho từng xã, nên tổng các xã lớn hơn số giờ của toàn đài.</translation>
    </message>
    <message>
        <source>Broadcast hours by category</source>
        <translation>Số giờ phát sóng theo chuyên mục</translation>
    </message>
    <message>
        <source>Hours by category</source>
        <translation>Giờ phát theo chuyên mục</translation>
    </message>
    <message>
        <source>Broadcasts by priority</source>
        <translation>Chương trình phát theo mức ưu tiên</translation>
    </message>
    <message>
        <source>By priority</source>
        <translation>Theo mức ưu tiên</translation>
    </message>
    <message>
        <source>Bulletins from the province by priority</source>
        <translation>Bản tin của tỉnh theo mức ưu tiên</translation>
    </message>
    <message>
        <source>Province bulletins</source>
        <translation>Bản tin của tỉnh</translation>
    </message>
    <message>
        <source>Bulletins issued in the period, by what became of them.</source>
        <translation>Các bản tin tỉnh gửi trong kỳ, theo kết quả xử lý.</translation>
    </message>
    <message>
        <source>Emergency broadcasts and their reach</source>
        <translation>Các lần phát khẩn cấp và mức độ bao phủ</translation>
    </message>
    <message>
        <source>Emergency</source>
        <translation>Khẩn cấp</translation>
    </message>
    <message>
        <source>Reached: the devices that played the broadcast, wholly or in part.</source>
        <translation>Đã phát: các cụm loa đã phát nội dung khẩn cấp, toàn bộ hoặc một phần.</translation>
    </message>
    <message>
        <source>Device availability by commune</source>
        <translation>Tỷ lệ hoạt động của thiết bị theo xã/phường</translation>
    </message>
    <message>
        <source>Availability by commune</source>
        <translation>Tỷ lệ hoạt động theo xã</translation>
    </message>
    <message>
        <source>Online time over watched time, from the devices&apos; presence changes; lowest first.</source>
        <translation>Thời gian trực tuyến trên thời gian theo dõi, tính từ các lần thay đổi trạng thái kết nối; thấp nhất trước.</translation>
    </message>
    <message>
        <source>Device availability by group</source>
        <translation>Tỷ lệ hoạt động của thiết bị theo nhóm</translation>
    </message>
    <message>
        <source>Availability by group</source>
        <translation>Tỷ lệ hoạt động theo nhóm</translation>
    </message>
    <message>
        <source>A device in several groups counts in each of them.</source>
        <translation>Một thiết bị thuộc nhiều nhóm được tính cho từng nhóm.</translation>
    </message>
    <message>
        <source>Faults and time to repair</source>
        <translation>Sự cố và thời gian khắc phục</translation>
    </message>
    <message>
        <source>Faults</source>
        <translation>Sự cố</translation>
    </message>
    <message>
        <source>Alarms raised in the period; repaired: resolved before the period ended.</source>
        <translation>Các cảnh báo phát sinh trong kỳ; đã khắc phục: được xử lý trước khi kỳ báo cáo kết thúc.</translation>
    </message>
    <message>
        <source>Receipts by commune</source>
        <translation>Biên nhận phát theo xã/phường</translation>
    </message>
    <message>
        <source>Receipts</source>
        <translation>Biên nhận</translation>
    </message>
    <message>
        <source>One receipt per scheduled part and device.</source>
        <translation>Mỗi phần chương trình trên mỗi cụm loa có một biên nhận.</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Xã/Phường</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Nhóm</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Chuyên mục</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Ưu tiên</translation>
    </message>
    <message>
        <source>Fault</source>
        <translation>Loại sự cố</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Thiết bị</translation>
    </message>
    <message>
        <source>Parts aired</source>
        <translation>Số phần đã phát</translation>
    </message>
    <message>
        <source>Broadcast hours</source>
        <translation>Số giờ phát sóng</translation>
    </message>
    <message>
        <source>Device hours</source>
        <translation>Giờ thiết bị</translation>
    </message>
    <message>
        <source>Share %</source>
        <translation>Tỷ lệ %</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>Đã gửi</translation>
    </message>
    <message>
        <source>Played</source>
        <translation>Đã phát</translation>
    </message>
    <message>
        <source>Partly played</source>
        <translation>Phát một phần</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>Bị bỏ lỡ</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Không thành công</translation>
    </message>
    <message>
        <source>Played %</source>
        <translation>Đã phát %</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>Đã lên lịch</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Chờ xử lý</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Đã từ chối</translation>
    </message>
    <message>
        <source>Not received</source>
        <translation>Chưa nhận</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Bắt đầu</translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation>Số phút</translation>
    </message>
    <message>
        <source>Devices targeted</source>
        <translation>Cụm loa nhận lệnh</translation>
    </message>
    <message>
        <source>Devices reached</source>
        <translation>Cụm loa đã phát</translation>
    </message>
    <message>
        <source>Reach %</source>
        <translation>Bao phủ %</translation>
    </message>
    <message>
        <source>Communes reached</source>
        <translation>Xã đã phát</translation>
    </message>
    <message>
        <source>Online hours</source>
        <translation>Giờ trực tuyến</translation>
    </message>
    <message>
        <source>Watched hours</source>
        <translation>Giờ theo dõi</translation>
    </message>
    <message>
        <source>Availability %</source>
        <translation>Tỷ lệ hoạt động %</translation>
    </message>
    <message>
        <source>Raised</source>
        <translation>Phát sinh</translation>
    </message>
    <message>
        <source>Repaired</source>
        <translation>Đã khắc phục</translation>
    </message>
    <message>
        <source>Still open</source>
        <translation>Chưa khắc phục</translation>
    </message>
    <message>
        <source>Mean hours to repair</source>
        <translation>Thời gian khắc phục trung bình (giờ)</translation>
    </message>
    <message>
        <source>Median hours</source>
        <translation>Trung vị (giờ)</translation>
    </message>
    <message>
        <source>Longest hours</source>
        <translation>Lâu nhất (giờ)</translation>
    </message>
    <message>
        <source>News</source>
        <translation>Tin tức</translation>
    </message>
    <message>
        <source>Policy and law</source>
        <translation>Chính sách, pháp luật</translation>
    </message>
    <message>
        <source>Culture</source>
        <translation>Văn hóa</translation>
    </message>
    <message>
        <source>Advertisement</source>
        <translation>Quảng cáo</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Khác</translation>
    </message>
    <message>
        <source>Relay of a stream</source>
        <translation>Tiếp sóng</translation>
    </message>
    <message>
        <source>Live announcement</source>
        <translation>Phát trực tiếp</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Thông thường</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Trực tiếp</translation>
    </message>
    <message>
        <source>Offline too long</source>
        <translation>Mất kết nối quá lâu</translation>
    </message>
    <message>
        <source>Never seen since adoption</source>
        <translation>Chưa kết nối lần nào từ khi tiếp nhận</translation>
    </message>
    <message>
        <source>Amplifier fault</source>
        <translation>Lỗi âm ly</translation>
    </message>
    <message>
        <source>Speaker line fault</source>
        <translation>Lỗi đường dây loa</translation>
    </message>
    <message>
        <source>Mains power lost</source>
        <translation>Mất điện lưới</translation>
    </message>
    <message>
        <source>Storage fault</source>
        <translation>Lỗi bộ nhớ</translation>
    </message>
    <message>
        <source>Clock fault</source>
        <translation>Lỗi đồng hồ</translation>
    </message>
    <message>
        <source>Other fault</source>
        <translation>Lỗi khác</translation>
    </message>
    <message>
        <source>Playing but silent</source>
        <translation>Đang phát nhưng không có tiếng</translation>
    </message>
    <message>
        <source>Clock off time</source>
        <translation>Đồng hồ lệch giờ</translation>
    </message>
    <message>
        <source>Weak signal</source>
        <translation>Sóng yếu</translation>
    </message>
    <message>
        <source>Stations</source>
        <translation>Số đài</translation>
    </message>
    <message>
        <source>Devices in service</source>
        <translation>Số cụm loa đang hoạt động</translation>
    </message>
    <message>
        <source>Communes with devices</source>
        <translation>Số xã/phường có cụm loa</translation>
    </message>
    <message>
        <source>Receipts: played</source>
        <translation>Biên nhận: đã phát</translation>
    </message>
    <message>
        <source>Receipts: partly played</source>
        <translation>Biên nhận: phát một phần</translation>
    </message>
    <message>
        <source>Receipts: missed</source>
        <translation>Biên nhận: bị bỏ lỡ</translation>
    </message>
    <message>
        <source>Receipts: failed</source>
        <translation>Biên nhận: không thành công</translation>
    </message>
    <message>
        <source>Receipts played in full, %</source>
        <translation>Tỷ lệ biên nhận phát trọn vẹn, %</translation>
    </message>
    <message>
        <source>Emergency broadcasts</source>
        <translation>Số lần phát khẩn cấp</translation>
    </message>
    <message>
        <source>Emergency reach, % of devices targeted</source>
        <translation>Bao phủ khẩn cấp, % cụm loa nhận lệnh</translation>
    </message>
    <message>
        <source>Device availability, %</source>
        <translation>Tỷ lệ hoạt động của thiết bị, %</translation>
    </message>
    <message>
        <source>Faults raised</source>
        <translation>Số sự cố phát sinh</translation>
    </message>
    <message>
        <source>Faults repaired</source>
        <translation>Số sự cố đã khắc phục</translation>
    </message>
    <message>
        <source>Bulletins from the province</source>
        <translation>Số bản tin của tỉnh</translation>
    </message>
    <message>
        <source>Device availability by commune, %</source>
        <translation>Tỷ lệ hoạt động của thiết bị theo xã/phường, %</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <source>Quarter {roman}</source>
        <translation>Quý {roman}</translation>
    </message>
    <message>
        <source>Month {n}</source>
        <translation>Tháng {n}</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>Tài liệu PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Sổ tính Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>Save the report</source>
        <translation>Lưu báo cáo</translation>
    </message>
    <message>
        <source>Writing the report for {period}…</source>
        <translation>Đang lập báo cáo kỳ {period}…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Đang hủy…</translation>
    </message>
    <message>
        <source>The report was written to {path}</source>
        <translation>Đã lưu báo cáo vào {path}</translation>
    </message>
    <message>
        <source>Cancelled: no file was written.</source>
        <translation>Đã hủy: không có tệp nào được ghi.</translation>
    </message>
    <message>
        <source>The report could not be written: {error}</source>
        <translation>Không lập được báo cáo: {error}</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Báo cáo</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Năm</translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation>Quý</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Tháng</translation>
    </message>
    <message>
        <source>PDF document</source>
        <translation>Tài liệu PDF</translation>
    </message>
    <message>
        <source>Excel workbook (XLSX)</source>
        <translation>Sổ tính Excel (XLSX)</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Kỳ báo cáo</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Định dạng</translation>
    </message>
    <message>
        <source>Language of the report</source>
        <translation>Ngôn ngữ báo cáo</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Tệp</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Chọn…</translation>
    </message>
    <message>
        <source>Create the report</source>
        <translation>Lập báo cáo</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>The yearly report to the province is due before 10 December.</source>
        <translation>Báo cáo năm phải gửi tỉnh trước ngày 10 tháng 12.</translation>
    </message>
</context>
<context>
    <name>Schedule</name>
    <message>
        <source>Once</source>
        <translation>Một lần</translation>
    </message>
    <message>
        <source>Every day</source>
        <translation>Hằng ngày</translation>
    </message>
    <message>
        <source>On days of the week</source>
        <translation>Các ngày trong tuần</translation>
    </message>
    <message>
        <source>Every week</source>
        <translation>Hằng tuần</translation>
    </message>
    <message>
        <source>Every n-th week</source>
        <translation>Cách n tuần một lần</translation>
    </message>
    <message>
        <source>Every month (same day)</source>
        <translation>Hằng tháng (cùng ngày)</translation>
    </message>
    <message>
        <source>Every month (last day)</source>
        <translation>Hằng tháng (ngày cuối tháng)</translation>
    </message>
    <message>
        <source>Other (recurrence rule)</source>
        <translation>Khác (quy tắc lặp)</translation>
    </message>
    <message>
        <source>Played</source>
        <translation>Đã phát</translation>
    </message>
    <message>
        <source>Partly played</source>
        <translation>Phát một phần</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>Bị bỏ lỡ</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Không thành công</translation>
    </message>
    <message>
        <source>offline at air time</source>
        <translation>mất kết nối vào giờ phát</translation>
    </message>
    <message>
        <source>no report from the cluster</source>
        <translation>cụm loa không báo cáo</translation>
    </message>
    <message>
        <source>started, no end reported</source>
        <translation>đã bắt đầu, không báo kết thúc</translation>
    </message>
    <message>
        <source>audio file not downloaded</source>
        <translation>chưa tải được tệp âm thanh</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>bị dừng</translation>
    </message>
    <message>
        <source>Audio</source>
        <translation>Âm thanh</translation>
    </message>
    <message>
        <source>Stream relay</source>
        <translation>Tiếp sóng</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Khoảng nghỉ</translation>
    </message>
    <message>
        <source>All clusters</source>
        <translation>Tất cả cụm loa</translation>
    </message>
    <message>
        <source>interrupted by {item}</source>
        <translation>bị ngắt bởi {item}</translation>
    </message>
    <message>
        <source>“{title}” on {n} cluster(s), {day} {span}</source>
        <translation>“{title}” trên {n} cụm loa, {day} {span}</translation>
    </message>
</context>
<context>
    <name>ScheduleDialog</name>
    <message>
        <source>Schedule the bulletin</source>
        <translation>Lên lịch phát bản tin</translation>
    </message>
    <message>
        <source>&lt;b&gt;{title}&lt;/b&gt;: when and where should it play?</source>
        <translation>&lt;b&gt;{title}&lt;/b&gt;: phát khi nào và ở đâu?</translation>
    </message>
    <message>
        <source>In the next free slot (in about two minutes, after any priority programme)</source>
        <translation>Vào khung giờ trống kế tiếp (khoảng hai phút nữa, sau chương trình ưu tiên nếu có)</translation>
    </message>
    <message>
        <source>At:</source>
        <translation>Vào lúc:</translation>
    </message>
    <message>
        <source>Where (the province&apos;s targets are filled in):</source>
        <translation>Nơi phát (đã điền sẵn nơi phát do tỉnh chỉ định):</translation>
    </message>
</context>
<context>
    <name>ScheduleEditor</name>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Ưu tiên</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>Âm lượng</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Set the volume</source>
        <translation>Đặt âm lượng</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Nơi phát</translation>
    </message>
    <message>
        <source>Programme</source>
        <translation>Nội dung phát</translation>
    </message>
    <message>
        <source>Repeats</source>
        <translation>Lặp lại</translation>
    </message>
    <message>
        <source>First airing</source>
        <translation>Phát lần đầu</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Các ngày</translation>
    </message>
    <message>
        <source>Every</source>
        <translation>Cách</translation>
    </message>
    <message>
        <source>Recurrence rule</source>
        <translation>Quy tắc lặp</translation>
    </message>
    <message>
        <source>End</source>
        <translation>Kết thúc</translation>
    </message>
    <message>
        <source>Except on</source>
        <translation>Trừ các ngày</translation>
    </message>
    <message>
        <source>weeks</source>
        <translation>tuần</translation>
    </message>
    <message>
        <source>Last airing on</source>
        <translation>Phát lần cuối vào ngày</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Thêm</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Bỏ</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>Nhóm</translation>
    </message>
    <message>
        <source>Administrative units</source>
        <translation>Đơn vị hành chính</translation>
    </message>
    <message>
        <source>Single clusters</source>
        <translation>Từng cụm loa</translation>
    </message>
    <message>
        <source>Name or code (accents optional)</source>
        <translation>Tên hoặc mã (gõ có dấu hoặc không dấu)</translation>
    </message>
    <message>
        <source>Loading the administrative units…</source>
        <translation>Đang tải danh sách đơn vị hành chính…</translation>
    </message>
    <message>
        <source>Cluster id or name</source>
        <translation>Mã hoặc tên cụm loa</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>Lên</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Xuống</translation>
    </message>
    <message>
        <source>Approved audio</source>
        <translation>Âm thanh đã duyệt</translation>
    </message>
    <message>
        <source>Type part of a title, or choose</source>
        <translation>Gõ một phần tiêu đề, hoặc chọn</translation>
    </message>
    <message>
        <source>Stream relay</source>
        <translation>Tiếp sóng</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Khoảng nghỉ</translation>
    </message>
    <message>
        <source>Next {n} airings</source>
        <translation>{n} lần phát tới</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Trùng lịch</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>Gửi duyệt</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Duyệt</translation>
    </message>
    <message>
        <source>Return…</source>
        <translation>Trả lại…</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>Lưu trữ</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>New schedule</source>
        <translation>Lịch phát mới</translation>
    </message>
    <message>
        <source>Schedule “{title}”</source>
        <translation>Lịch phát “{title}”</translation>
    </message>
    <message>
        <source>New, not saved yet</source>
        <translation>Mới, chưa lưu</translation>
    </message>
    <message>
        <source>Save the changes first</source>
        <translation>Hãy lưu các thay đổi trước</translation>
    </message>
    <message>
        <source>Could not open the schedule: {reason}</source>
        <translation>Không mở được lịch phát: {reason}</translation>
    </message>
    <message>
        <source>Audio item {id}</source>
        <translation>Tệp âm thanh {id}</translation>
    </message>
    <message>
        <source>{n} part(s), {length} in all</source>
        <translation>{n} phần, tổng cộng {length}</translation>
    </message>
    <message>
        <source>No airing from now on.</source>
        <translation>Từ nay không còn lần phát nào.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Đang kiểm tra…</translation>
    </message>
    <message>
        <source>Not ready to save: {reason}</source>
        <translation>Chưa lưu được: {reason}</translation>
    </message>
    <message>
        <source>{n} overlap(s) with schedules of the same priority on the same clusters:</source>
        <translation>{n} chỗ trùng với lịch phát cùng mức ưu tiên trên cùng cụm loa:</translation>
    </message>
    <message>
        <source>No conflicts with the approved and submitted schedules.</source>
        <translation>Không trùng với các lịch phát đã duyệt và đang chờ duyệt.</translation>
    </message>
    <message>
        <source>… and {n} more</source>
        <translation>… và {n} chỗ trùng khác</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
    <message>
        <source>The schedule was not saved.</source>
        <translation>Chưa lưu được lịch phát.</translation>
    </message>
    <message>
        <source>Saved. Status: {state}.</source>
        <translation>Đã lưu. Trạng thái: {state}.</translation>
    </message>
    <message>
        <source>A changed schedule is off the air until it is approved again.</source>
        <translation>Lịch phát đã sửa sẽ ngừng phát cho đến khi được duyệt lại.</translation>
    </message>
    <message>
        <source>That was not done.</source>
        <translation>Chưa thực hiện được.</translation>
    </message>
    <message>
        <source>Return the schedule</source>
        <translation>Trả lại lịch phát</translation>
    </message>
    <message>
        <source>What must be changed before it can be approved?</source>
        <translation>Cần sửa gì để được duyệt?</translation>
    </message>
    <message>
        <source>It would overlap with schedules of the same priority on the same clusters:</source>
        <translation>Lịch này sẽ trùng với các lịch phát cùng mức ưu tiên trên cùng cụm loa:</translation>
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
    <message>
        <source>Address the media server listens on</source>
        <translation>Địa chỉ lắng nghe của máy chủ tệp âm thanh</translation>
    </message>
    <message>
        <source>Port of the media server (0: any free port)</source>
        <translation>Cổng của máy chủ tệp âm thanh (0: cổng trống bất kỳ)</translation>
    </message>
    <message>
        <source>Media URL the devices use (empty: this station&apos;s media server)</source>
        <translation>Địa chỉ URL tệp âm thanh mà thiết bị sử dụng (để trống: máy chủ tệp âm thanh của đài)</translation>
    </message>
    <message>
        <source>Key that signs media URLs (empty: unsigned)</source>
        <translation>Khóa ký địa chỉ URL tệp âm thanh (để trống: không ký)</translation>
    </message>
    <message>
        <source>Days of schedule sent ahead to the devices</source>
        <translation>Số ngày lịch phát gửi trước xuống thiết bị</translation>
    </message>
    <message>
        <source>Roles that may go live (comma-separated)</source>
        <translation>Các vai trò được phát trực tiếp (cách nhau bằng dấu phẩy)</translation>
    </message>
    <message>
        <source>Roles that may start an emergency broadcast (comma-separated)</source>
        <translation>Các vai trò được phát khẩn cấp (cách nhau bằng dấu phẩy)</translation>
    </message>
    <message>
        <source>Longest live announcement, seconds (stuck-microphone guard)</source>
        <translation>Thời lượng phát trực tiếp tối đa, giây (phòng khi quên tắt micrô)</translation>
    </message>
    <message>
        <source>Longest emergency broadcast unless renewed, seconds</source>
        <translation>Thời lượng phát khẩn cấp tối đa nếu không gia hạn, giây</translation>
    </message>
    <message>
        <source>Icecast server that relays live streams (http://host:port; empty: none)</source>
        <translation>Máy chủ Icecast chuyển tiếp luồng trực tiếp (http://máy:cổng; để trống: không dùng)</translation>
    </message>
    <message>
        <source>Icecast source password</source>
        <translation>Mật khẩu nguồn phát Icecast</translation>
    </message>
    <message>
        <source>Province API URL (empty: no province link)</source>
        <translation>Địa chỉ API của tỉnh (để trống: không kết nối với tỉnh)</translation>
    </message>
    <message>
        <source>Province token (better: sync token set, kept in the OS keyring)</source>
        <translation>Mã truy cập của tỉnh (nên dùng: sync token set, lưu trong kho khóa của hệ điều hành)</translation>
    </message>
    <message>
        <source>Client certificate for the province (mutual TLS)</source>
        <translation>Chứng chỉ máy khách cho tỉnh (TLS hai chiều)</translation>
    </message>
    <message>
        <source>Client key for the province</source>
        <translation>Khóa máy khách cho tỉnh</translation>
    </message>
    <message>
        <source>CA certificate of the province (empty: system store)</source>
        <translation>Chứng chỉ CA của tỉnh (để trống: dùng kho chứng chỉ của hệ thống)</translation>
    </message>
    <message>
        <source>Emergency bulletins: confirm (one click) or play (at once)</source>
        <translation>Bản tin khẩn cấp: xác nhận (một lần bấm) hoặc phát (ngay lập tức)</translation>
    </message>
    <message>
        <source>Alarm when media is not on every device this many minutes before air</source>
        <translation>Cảnh báo khi còn chừng này phút trước giờ phát mà chưa phải thiết bị nào cũng có tệp âm thanh</translation>
    </message>
    <message>
        <source>Alarm when a device is offline longer than, minutes</source>
        <translation>Cảnh báo khi thiết bị mất kết nối lâu hơn (phút)</translation>
    </message>
    <message>
        <source>Alarm when an adopted device has never been seen after, hours</source>
        <translation>Cảnh báo khi thiết bị đã tiếp nhận chưa từng kết nối sau (giờ)</translation>
    </message>
    <message>
        <source>Playing but silent: output level below, dBFS</source>
        <translation>Đang phát nhưng không có tiếng: mức ra dưới (dBFS)</translation>
    </message>
    <message>
        <source>Playing but silent for, minutes</source>
        <translation>Đang phát nhưng không có tiếng trong (phút)</translation>
    </message>
    <message>
        <source>Alarm when the clock offset exceeds, ms</source>
        <translation>Cảnh báo khi lệch đồng hồ vượt quá (ms)</translation>
    </message>
    <message>
        <source>Weak signal: RSSI below, dBm</source>
        <translation>Sóng yếu: RSSI dưới (dBm)</translation>
    </message>
    <message>
        <source>Weak signal for, minutes</source>
        <translation>Sóng yếu trong (phút)</translation>
    </message>
    <message>
        <source>Show map tiles from the tile server (off: the offline map)</source>
        <translation>Hiện ô bản đồ (tile) từ máy chủ bản đồ (tắt: dùng bản đồ ngoại tuyến)</translation>
    </message>
    <message>
        <source>Tile server URL template with {z}, {x} and {y}</source>
        <translation>Mẫu địa chỉ URL của máy chủ ô bản đồ, có {z}, {x} và {y}</translation>
    </message>
    <message>
        <source>Folder of the tile cache (empty: tiles in the data directory)</source>
        <translation>Thư mục lưu đệm ô bản đồ (để trống: lưu trong thư mục dữ liệu)</translation>
    </message>
    <message>
        <source>User-Agent sent to the tile server (empty: this application and its version)</source>
        <translation>User-Agent gửi tới máy chủ ô bản đồ (để trống: tên và phiên bản của phần mềm này)</translation>
    </message>
    <message>
        <source>Local MBTiles or PMTiles archive used as map tiles, without network (empty: none)</source>
        <translation>Tệp MBTiles hoặc PMTiles trên máy dùng làm ô bản đồ, không cần mạng (để trống: không dùng)</translation>
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
<context>
    <name>SilenceGroup</name>
    <message>
        <source>Silence</source>
        <translation>Khoảng lặng</translation>
    </message>
    <message>
        <source>Insert at cursor</source>
        <translation>Chèn tại con trỏ</translation>
    </message>
    <message>
        <source>Insert this much silence at the cursor</source>
        <translation>Chèn khoảng lặng dài chừng này tại vị trí con trỏ</translation>
    </message>
    <message>
        <source>Trim quiet parts at the ends, below:</source>
        <translation>Cắt phần lặng ở hai đầu, dưới mức:</translation>
    </message>
    <message>
        <source>Parts quieter than this (RMS level) at the start and end count as silence. The dashed green lines on the waveform show it.</source>
        <translation>Phần đầu và cuối bài nhỏ hơn mức này (mức RMS) được coi là khoảng lặng. Hai đường nét đứt màu xanh lá trên dạng sóng thể hiện mức này.</translation>
    </message>
    <message>
        <source>Trim ends</source>
        <translation>Cắt hai đầu</translation>
    </message>
    <message>
        <source>Measuring…</source>
        <translation>Đang đo…</translation>
    </message>
    <message>
        <source>No silence at the ends at this threshold.</source>
        <translation>Không có khoảng lặng ở hai đầu với mức này.</translation>
    </message>
    <message>
        <source>Removes {start} s at the start and {end} s at the end (shaded).</source>
        <translation>Sẽ bỏ {start} s ở đầu và {end} s ở cuối (vùng tô xám).</translation>
    </message>
</context>
<context>
    <name>SyncBadge</name>
    <message>
        <source>Province: not linked</source>
        <translation>Tỉnh: chưa kết nối</translation>
    </message>
    <message>
        <source>The province link could not start: {error}</source>
        <translation>Không khởi động được kết nối với tỉnh: {error}</translation>
    </message>
    <message>
        <source>Province paused</source>
        <translation>Tỉnh (tạm dừng)</translation>
    </message>
    <message>
        <source>Province</source>
        <translation>Tỉnh</translation>
    </message>
    <message>
        <source>{n} to send</source>
        <translation>{n} chờ gửi</translation>
    </message>
    <message>
        <source>last sync {time}</source>
        <translation>đồng bộ lúc {time}</translation>
    </message>
    <message>
        <source>never synced</source>
        <translation>chưa đồng bộ</translation>
    </message>
    <message>
        <source>Province link: {state}</source>
        <translation>Kết nối với tỉnh: {state}</translation>
    </message>
    <message>
        <source>{n} record(s) to send (the province holds {acked} of {last})</source>
        <translation>{n} bản ghi chờ gửi (tỉnh đã nhận {acked}/{last})</translation>
    </message>
    <message>
        <source>Last sync: {time}</source>
        <translation>Đồng bộ lần cuối: {time}</translation>
    </message>
    <message>
        <source>Last sync: never</source>
        <translation>Đồng bộ lần cuối: chưa có</translation>
    </message>
    <message>
        <source>{n} bulletin(s) waiting for the operator, {confirm} of them emergencies to confirm</source>
        <translation>{n} bản tin chờ người trực xử lý, trong đó {confirm} bản tin khẩn cấp cần xác nhận</translation>
    </message>
    <message>
        <source>Last error ({time}): {error}</source>
        <translation>Lỗi gần nhất ({time}): {error}</translation>
    </message>
    <message>
        <source>Next try at {time}</source>
        <translation>Thử lại lúc {time}</translation>
    </message>
    <message>
        <source>Click to open the sync page.</source>
        <translation>Bấm để mở trang đồng bộ.</translation>
    </message>
</context>
<context>
    <name>SyncModel</name>
    <message>
        <source>Normal</source>
        <translation>Thông thường</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Ưu tiên</translation>
    </message>
    <message>
        <source>Emergency</source>
        <translation>Khẩn cấp</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Đã nhận</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Chờ xử lý</translation>
    </message>
    <message>
        <source>Awaiting confirmation</source>
        <translation>Chờ xác nhận</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>Đã lên lịch</translation>
    </message>
    <message>
        <source>Played</source>
        <translation>Đã phát</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Đã từ chối</translation>
    </message>
    <message>
        <source>received</source>
        <translation>đã nhận</translation>
    </message>
    <message>
        <source>scheduled</source>
        <translation>đã lên lịch</translation>
    </message>
    <message>
        <source>played</source>
        <translation>đã phát</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>đã từ chối</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Đang hoạt động</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Tạm dừng</translation>
    </message>
    <message>
        <source>Waiting to retry</source>
        <translation>Chờ thử lại</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Đã dừng</translation>
    </message>
    <message>
        <source>As-run receipts</source>
        <translation>Biên nhận phát</translation>
    </message>
    <message>
        <source>Cluster events</source>
        <translation>Sự kiện cụm loa</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>Nhật ký thao tác</translation>
    </message>
    <message>
        <source>Library changes</source>
        <translation>Thay đổi thư viện</translation>
    </message>
    <message>
        <source>Schedule changes</source>
        <translation>Thay đổi lịch phát</translation>
    </message>
    <message>
        <source>Inventory</source>
        <translation>Danh mục thiết bị</translation>
    </message>
    <message>
        <source>Records shipped</source>
        <translation>Đã gửi bản ghi</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Không thành công</translation>
    </message>
    <message>
        <source>Bulletin received</source>
        <translation>Đã nhận bản tin</translation>
    </message>
    <message>
        <source>Receipt sent</source>
        <translation>Đã gửi biên nhận</translation>
    </message>
    <message>
        <source>Resumed</source>
        <translation>Tiếp tục</translation>
    </message>
    <message>
        <source>acknowledged through {seq}, {left} left</source>
        <translation>tỉnh đã xác nhận đến bản ghi {seq}, còn {left}</translation>
    </message>
    <message>
        <source>({n} batches)</source>
        <translation>({n} lô)</translation>
    </message>
    <message>
        <source>(×{n} since {time})</source>
        <translation>(×{n} từ {time})</translation>
    </message>
    <message>
        <source>bulletin {id}: {status}</source>
        <translation>bản tin {id}: {status}</translation>
    </message>
    <message>
        <source>refused: {why}</source>
        <translation>bị từ chối: {why}</translation>
    </message>
    <message>
        <source>The whole station</source>
        <translation>Toàn đài</translation>
    </message>
    <message>
        <source>(not sent yet)</source>
        <translation>(chưa gửi)</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>The outbox could not be read: {error}</source>
        <translation>Không đọc được hàng đợi gửi: {error}</translation>
    </message>
    <message>
        <source>next try at {time}</source>
        <translation>thử lại lúc {time}</translation>
    </message>
    <message>
        <source>no records are shipped until you resume; bulletins still arrive</source>
        <translation>không gửi bản ghi nào cho đến khi bạn bấm Tiếp tục; vẫn nhận bản tin</translation>
    </message>
    <message>
        <source>Province link</source>
        <translation>Kết nối với tỉnh</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Tiếp tục</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Tạm dừng</translation>
    </message>
    <message>
        <source>Ship the records again</source>
        <translation>Tiếp tục gửi bản ghi</translation>
    </message>
    <message>
        <source>Hold the records back until you resume, e.g. on a metered link (kept across restarts); bulletins and their receipts still go</source>
        <translation>Tạm giữ bản ghi cho đến khi bạn bấm Tiếp tục, ví dụ khi dùng mạng tính phí theo dung lượng (vẫn giữ sau khi khởi động lại); bản tin và biên nhận vẫn được nhận, gửi bình thường</translation>
    </message>
    <message>
        <source>{n} record(s) — the province holds records 1 to {acked}, this station has written {last}</source>
        <translation>{n} bản ghi — tỉnh đã có bản ghi 1 đến {acked}, đài đã ghi {last}</translation>
    </message>
    <message>
        <source>{records} record(s) shipped, {bulletins} bulletin(s) received</source>
        <translation>Đã gửi {records} bản ghi, đã nhận {bulletins} bản tin</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Lỗi gần nhất</translation>
    </message>
    <message>
        <source>never</source>
        <translation>chưa đồng bộ lần nào</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Tổng cộng</translation>
    </message>
    <message>
        <source>Syncing now…</source>
        <translation>Đang đồng bộ…</translation>
    </message>
    <message>
        <source>The link could not be changed: {error}</source>
        <translation>Không thay đổi được kết nối: {error}</translation>
    </message>
    <message>
        <source>To send:</source>
        <translation>Chờ gửi:</translation>
    </message>
    <message>
        <source>Last sync:</source>
        <translation>Đồng bộ lần cuối:</translation>
    </message>
    <message>
        <source>Since the console started:</source>
        <translation>Từ khi mở phần mềm:</translation>
    </message>
    <message>
        <source>Province:</source>
        <translation>Tỉnh:</translation>
    </message>
    <message>
        <source>{url} as station {station}</source>
        <translation>{url}, mã đài {station}</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Đồng bộ ngay</translation>
    </message>
    <message>
        <source>Try at once instead of waiting (also cuts a wait after a failure short)</source>
        <translation>Thử ngay thay vì chờ (cũng bỏ qua thời gian chờ sau khi lỗi)</translation>
    </message>
    <message>
        <source>Waiting to be shipped, by type</source>
        <translation>Bản ghi chờ gửi, theo loại</translation>
    </message>
    <message>
        <source>Record type</source>
        <translation>Loại bản ghi</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Bản ghi</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Lịch sử</translation>
    </message>
</context>
<context>
    <name>TargetChooser</name>
    <message>
        <source>Every cluster</source>
        <translation>Tất cả cụm loa</translation>
    </message>
    <message>
        <source>Chosen groups, units or clusters</source>
        <translation>Các nhóm, đơn vị hoặc cụm loa được chọn</translation>
    </message>
    <message>
        <source>Choose where to broadcast</source>
        <translation>Hãy chọn nơi phát</translation>
    </message>
    <message>
        <source>Counting the clusters…</source>
        <translation>Đang đếm cụm loa…</translation>
    </message>
    <message>
        <source>{n} cluster(s)</source>
        <translation>{n} cụm loa</translation>
    </message>
</context>
<context>
    <name>TaskStrip</name>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>TimelineCanvas</name>
    <message>
        <source>Move “{title}” to {day} {span}</source>
        <translation>Dời “{title}” sang {day} {span}</translation>
    </message>
    <message>
        <source>conflicts with {conflict}</source>
        <translation>trùng với {conflict}</translation>
    </message>
    <message>
        <source>(and {n} more)</source>
        <translation>(và {n} chỗ trùng khác)</translation>
    </message>
    <message>
        <source>{n} cluster(s) in all</source>
        <translation>Tổng cộng {n} cụm loa</translation>
    </message>
    <message>
        <source>{ready} of {total} cluster(s) of this row have the audio</source>
        <translation>{ready}/{total} cụm loa của hàng này đã có tệp âm thanh</translation>
    </message>
    <message>
        <source>Overlaps another schedule of the same priority</source>
        <translation>Trùng với lịch phát khác cùng mức ưu tiên</translation>
    </message>
    <message>
        <source>Click to edit, drag sideways to move</source>
        <translation>Bấm để sửa, kéo ngang để dời giờ</translation>
    </message>
    <message>
        <source>Other clusters</source>
        <translation>Cụm loa khác</translation>
    </message>
    <message>
        <source>Without an administrative unit</source>
        <translation>Chưa có đơn vị hành chính</translation>
    </message>
</context>
<context>
    <name>TimelineView</name>
    <message>
        <source>New schedule…</source>
        <translation>Lịch phát mới…</translation>
    </message>
    <message>
        <source>Earlier</source>
        <translation>Trước đó</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Tiếp theo</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Hôm nay</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Tuần</translation>
    </message>
    <message>
        <source>Rows: groups</source>
        <translation>Hàng: nhóm</translation>
    </message>
    <message>
        <source>Rows: administrative units</source>
        <translation>Hàng: đơn vị hành chính</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Lịch phát</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Next airing</source>
        <translation>Lần phát tới</translation>
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
        <source>Overlap</source>
        <translation>Trùng lịch</translation>
    </message>
    <message>
        <source>Awaiting approval</source>
        <translation>Chờ duyệt</translation>
    </message>
    <message>
        <source>N/M: clusters that have the audio</source>
        <translation>N/M: số cụm loa đã có tệp âm thanh</translation>
    </message>
    <message>
        <source>A red badge: it airs within {n} minutes and some clusters do not have the audio yet.</source>
        <translation>Nhãn đỏ: sắp phát trong vòng {n} phút mà một số cụm loa chưa có tệp âm thanh.</translation>
    </message>
    <message>
        <source>today</source>
        <translation>hôm nay</translation>
    </message>
    <message>
        <source>Reading the schedules…</source>
        <translation>Đang đọc lịch phát…</translation>
    </message>
    <message>
        <source>Could not read the schedules: {reason}</source>
        <translation>Không đọc được lịch phát: {reason}</translation>
    </message>
    <message>
        <source>Administrative units</source>
        <translation>Đơn vị hành chính</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>Nhóm</translation>
    </message>
    <message>
        <source>Moving “{title}”…</source>
        <translation>Đang dời “{title}”…</translation>
    </message>
    <message>
        <source>“{title}” moved ({when}).</source>
        <translation>Đã dời “{title}” ({when}).</translation>
    </message>
    <message>
        <source>It is {state} now.</source>
        <translation>Lịch hiện ở trạng thái {state}.</translation>
    </message>
    <message>
        <source>“{title}” was not moved: it would conflict with {conflict}.</source>
        <translation>Chưa dời được “{title}”: sẽ trùng với {conflict}.</translation>
    </message>
    <message>
        <source>“{title}” was not moved: {reason}</source>
        <translation>Chưa dời được “{title}”: {reason}</translation>
    </message>
</context>
</TS>
